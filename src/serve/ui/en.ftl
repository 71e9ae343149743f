# The translators' editor's own words, in English. Each language of the
# interface has a file like this one (ru.ftl, tg.ftl): the same ids.

ui-language = English
ui-interface = Interface language
ui-messages = Messages
ui-all-messages = ‹ All messages
ui-close = Close
ui-close-editor = Close the editor
ui-close-list = Close the list
ui-offline = pressroom is not answering. Your text stays here, in this browser; save once it is back.
ui-back = pressroom is back: save again.
ui-restored = Your unsaved text of { $time } is back, not yet saved.
ui-discard = Discard it
ui-source = Source ({ $lang })
ui-changes = What changed in the source since this was translated
ui-changed = The source text changed since this translation was made.
ui-text = Text
ui-save = Save
ui-accept = Mark up to date
ui-unsaved = Unsaved
ui-saved = Saved
ui-mode-source = Fluent source
ui-mode-fields = Fields
ui-source-label = { $message }: Fluent source
ui-not-fields = This text cannot be shown as fields: fix it, or keep editing it as source.
ui-no-token = To edit, open the address pressroom serve printed (it carries the launch token).
ui-source-language = { $lang } is the source language: pick a translation above, or start pressroom serve with --edit-source.
ui-read-only = Editing is off: pressroom serve was started with --read-only.
ui-insert = Insert:
ui-choice = Choice by { $selector }
ui-default = { $key } (default)
ui-conflict = { $file } changed on disk since the editor loaded it. Nothing was written.
ui-on-disk = On disk now
ui-yours = Yours (still in the editor)
ui-overwrite = Save mine over it
ui-take-disk = Take the version on disk
ui-not-saved = Not saved: { $error }. Your text is kept here.
ui-not-saved-conflict = Not saved: the file changed on disk
ui-not-answering = pressroom is not answering
ui-retry = Try again
ui-accepted = Marked up to date
ui-not-accepted = Not marked: { $error }
ui-search = Search the text of any language
ui-filter = Show
ui-filter-all = All messages
ui-filter-todo = Missing or out of date
ui-count = { $shown } of { $all }
ui-keys = Alt+↓ and Alt+↑: the next and previous missing or out-of-date message.
ui-nothing-todo = Nothing is missing or out of date in this language.
ui-hint = Hint: { $hint }
ui-view = View
ui-focus = Focus on the language I edit
ui-zoom-in = Larger pages
ui-zoom-out = Smaller pages
ui-live = live
ui-reconnecting = reconnecting…
ui-pdf = PDF
ui-web-page = Web page
ui-releases = Releases
status-source = source
status-done = done
status-missing = missing { $count }
status-stale = out of date { $count }
ui-line = Line { $line }: { $message }

state-source = source
state-current = translated
state-stale = out of date
state-missing = missing

shows-pdf = PDF
shows-web = web page
shows-email = e-mail
shows-draft = draft PDF

## What a message is, for people; $name is the rest of its id.
kind-title = Title
kind-subtitle = Subtitle
kind-body = Text
kind-background = Background
kind-notes = Notes to editors
kind-signature = Signature line
kind-signature-field = Empty signature field (screen readers)
kind-draft-mark = Draft mark: { $name }
kind-embargo = Embargo line
kind-pages = Page numbers
kind-term = Term: { $name }
kind-web = Web and e-mail: { $name }
kind-date = Date format: { $name }
kind-kind = Kind of release: { $name }
kind-place = Place: { $name }
kind-contact = Contact: { $name }
kind-letterhead = Letterhead: { $name }
kind-label = Label: { $name }
kind-office = Office: { $name }
kind-other = { $name }

## Plural categories (with examples, given per language) and grammatical cases.
plural-zero = zero
plural-one = one
plural-two = two
plural-few = few
plural-many = many
plural-other = other
case-nom = nominative
case-gen = genitive
case-dat = dative
case-acc = accusative
case-ins = instrumental
case-prep = prepositional
case-loc = locative

## What the editor finds, said in the interface's language. $q1 is the
## first `quoted` part of the finding, $u a character's code, $list what
## follows its last colon.
finding-unclosed-placeable = A { "{" } opens a placeable here that is never closed with { "}" }.
finding-unclosed-placeable-hint = Close it with { "}" }; to print a brace itself, write {"{"}"{"{"}"{"}"}.
finding-bad-placeable = After { "{" } comes a name such as { "{" } -eu { "}" } or { "{" } $date { "}" }, not this.
finding-bad-placeable-hint = To print a brace itself, write {"{"}"{"{"}"{"}"}.
finding-stray-brace = This { "}" } closes nothing.
finding-stray-brace-hint = To print a brace itself, write {"{"}"{"}"}"{"}"}.
finding-no-default = This choice has no default variant.
finding-no-default-hint = Mark one variant as the default with *, e.g. *[other].
finding-empty-message = { $q1 } has no text after =.
finding-empty-message-hint = A message needs text after =, on the same line or indented below.
finding-first-column = A line that starts in the first column must be a message: id = text.
finding-first-column-hint = The lines that continue a message are indented.
finding-line-start = An indented line cannot start with { $q1 } in Fluent.
finding-line-start-hint = Put some text before it on the line, or write the character as {"{"}"{ $q1 }"{"}"}.
finding-one-line = { $q1 } runs over several lines, but it is printed as one line (an e-mail subject, a page title, a heading).
finding-one-line-hint = Write it on one line; only the text, the background and the notes have paragraphs.
finding-control-character = The invisible control character { $u } is in the text.
finding-control-character-hint = Delete it: it prints as nothing, and feeds and e-mail headers cannot carry it.
finding-fluent-nesting = Placeables are nested more than 64 deep here.
finding-fluent-nesting-hint = Close each {"{"}"{"{"}"{"}"} with {"{"}"{"}"}"{"}"}; no message needs more than a few levels.
finding-mixed-script = { $q1 } mixes Latin and Cyrillic letters.
finding-mixed-script-hint = Retype the odd letter in the word's own keyboard layout.
finding-straight-quotes = Straight quotes in the text.
finding-straight-quotes-hint = Write «…» (and „…“ for quotes inside quotes).
finding-hyphen-as-dash = A hyphen used as a dash.
finding-hyphen-as-dash-hint = Write a dash (—) with a no-break space before it.
finding-space-before-punctuation = A space before { $q1 }.
finding-space-before-punctuation-hint = Remove the space.
finding-doubled-space = Two spaces in a row.
finding-doubled-space-hint = Leave one.
finding-doubled-word = { $q1 } is written twice.
finding-doubled-word-hint = Remove one.
finding-plural-variants = { $q1 } has no variant for: { $list }.
finding-plural-variants-hint = Give each plural category of this language its own variant.

## The team service (pressroom serve --team): sign-in and the press officer's desk.
team-signin-title = Sign in to pressroom
team-name = Name
team-password = Password
team-signin = Sign in
team-signin-wrong = The name or the password is wrong.
team-signin-wait = Too many failed attempts. Try again in { $seconds } s.
team-not-yours = Your role does not include editing this language ({ $lang }): here you can read it.
team-signout = Sign out
team-signed-in = Signed in as { $name }
team-desk = Press office desk
team-releases = Press releases
team-build = Build the final PDFs
team-build-sign = Build and sign
team-publish = Publish the web edition
team-email = with the e-mails
team-working = Working…
team-done = Done.
team-refused = Not done:
team-written = Written:
team-audit = Who did what
team-when = When
team-who = Who
team-what = What
team-detail = Details
team-action-sign-in = signed in
team-action-sign-in-failed = failed to sign in
team-action-sign-out = signed out
team-action-save = saved
team-action-accept = marked up to date
team-action-approve = approved
team-action-build = built the finals
team-action-sign = built and signed
team-action-publish = published
team-action-pull = took in changes
team-action-push = sent changes
