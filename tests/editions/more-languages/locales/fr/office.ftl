## The office's shared words in French.

-eu = Union européenne
-eu-short = UE
-eeas = Service européen pour l’action extérieure

## Letterhead

office-emblem = Union européenne
office-name = Délégation de l’Union européenne en République du Tadjikistan
office-address = 74, rue Adhamov, Douchanbé, Tadjikistan, 734013

## Labels

label-address = Adresse
label-telephone = Tél.
label-fax = Fax
label-email = Courriel
label-website = Site web
label-facebook = Suivez-nous sur Facebook
label-background = Contexte
label-contacts = Contacts
label-notes = Notes aux rédactions
label-number = Réf.
label-page = Page { $page } sur { $pages }
label-embargo = Sous embargo jusqu’au { $datetime }
label-draft = Projet
label-untranslated = Pas encore traduit
label-stale = Traduction à mettre à jour
label-unreviewed = Traduction pas encore approuvée
signed-by = Signé électroniquement par { $name }, { $role }, le { $date }.
signature-field-empty = Emplacement pour une autre signature électronique

## Kinds of release

kind-press-release = Communiqué de presse
kind-statement = Déclaration
kind-media-advisory = Avis aux médias

## Places

place-dushanbe = Douchanbé
place-khujand = Khodjent
place-brussels = Bruxelles

## Contacts

contact-press = Mme Mahbouba Abdoullaïeva
    .role = chargée de presse et d’information, délégation de l’UE au Tadjikistan
    .name = Mahbouba Abdoullaïeva

## The web edition and the e-mail

web-language = Français
web-archive = Communiqués de presse
web-pdf = Télécharger la version d’archive
web-signed = signé électroniquement
web-feed = Fil d’actualité (Atom)
web-languages = Langues
web-pages = Autres communiqués de presse
web-newer = Communiqués plus récents
web-older = Communiqués plus anciens
web-attached = Le communiqué de presse est joint en PDF et disponible en ligne :
web-kilobytes = { $size } ko
