## Калимаҳои умумии Намояндагӣ: номҳо, бланк, сарлавҳаҳо, намудҳои
## изҳорот, ҷойҳо ва тамосҳо. Истилоҳот (-eu) дар матни изҳорот истифода мешаванд.

-eu = Иттиҳоди Аврупо
-eu-short = ИА
-eeas = Хадамоти аврупоии амалиёти хориҷӣ

## Бланк

office-emblem = Иттиҳоди Аврупо
office-name = Намояндагии Иттиҳоди Аврупо дар Ҷумҳурии Тоҷикистон
office-address = 734013, Тоҷикистон, ш. Душанбе, кӯчаи Адҳамов, 74

## Сарлавҳаҳо

label-address = Суроға
label-telephone = Тел.
label-fax = Факс
label-email = Почтаи электронӣ
label-website = Сомона
label-facebook = Моро дар Facebook пайгирӣ кунед
label-background = Маълумоти иловагӣ
label-contacts = Барои тамос
label-notes = Барои муҳаррирон
label-number = №
label-page = Саҳифаи { $page } аз { $pages }
label-embargo = То { $datetime } нашр карда нашавад
label-draft = Лоиҳа
label-untranslated = Тарҷума нашудааст
label-stale = Тарҷума кӯҳна шудааст
# The visible signature line of a signed PDF.
signed-by = Бо имзои электронӣ имзо шудааст: { $name }, { $role }, { $date }.

## Намудҳои изҳорот

kind-press-release = Изҳороти матбуотӣ
kind-statement = Изҳорот
kind-media-advisory = Эълон барои ВАО

## Ҷойҳо

place-dushanbe = Душанбе
place-khujand = Хуҷанд
place-brussels = Брюссел

## Тамосҳо

contact-press = Хонум Маҳбуба Абдуллаева
    .role = Корманди матбуот ва иттилоот, Намояндагии ИА дар Тоҷикистон
