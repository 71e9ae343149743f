## The office's shared words: its names, the letterhead, labels, kinds of
## release, places and contacts. Terms (-eu) can be used in any release text.

-eu = European Union
-eu-short = EU
-eeas = European External Action Service

## Letterhead

office-emblem = European Union
office-name = Delegation of the European Union to the Republic of Tajikistan
office-address = 74 Adhamova Street, Dushanbe, Tajikistan, 734013

## Labels

label-address = Address details
label-telephone = Tel
label-fax = Fax
label-email = E-mail
label-website = Website
label-facebook = Follow us on Facebook
label-background = Background
label-contacts = Contacts
label-notes = Notes to editors
label-number = Ref.
# $page and $pages are filled in by the layout.
label-page = Page { $page } of { $pages }
# $datetime: the embargo's date and time, e.g. 11 March 2015, 10:00 (UTC+05:00)
label-embargo = Embargoed until { $datetime }
label-draft = Draft
label-untranslated = Not yet translated
label-stale = Translation out of date
label-unreviewed = Not yet approved
# The visible signature line of a signed PDF.
signed-by = Signed electronically by { $name }, { $role }, on { $date }.
# What a screen reader says for an empty signature field kept for a later signer
# ([signing] countersignatures).
signature-field-empty = Space for a further electronic signature

## Kinds of release (the heading under the dateline)

kind-press-release = Press release
kind-statement = Statement
kind-media-advisory = Media advisory

## Places (the dateline)

place-dushanbe = Dushanbe
place-khujand = Khujand
place-brussels = Brussels

## Contacts: name (as the contact block prints it), .role under it, and .name:
## the person's name alone, as an e-mail's From gives it

contact-press = Ms. Mahbuba Abdullaeva
    .role = Press and Information Officer, EU Delegation to Tajikistan
    .name = Mahbuba Abdullaeva

## The web edition and the e-mail (pressroom publish)

# The language's name in itself, in the language switcher.
web-language = English
web-archive = Press releases
web-pdf = Download the archival version
web-signed = electronically signed
web-feed = News feed (Atom)
web-languages = Languages
web-pages = More press releases
web-newer = Newer press releases
web-older = Older press releases
web-attached = The press release is attached as a PDF, and online at:
# The PDF's size: $size is the number of kilobytes, in the language's digits.
web-kilobytes = { $size } kB
