## Калимаҳои умумии Намояндагӣ: номҳо, бланк, сарлавҳаҳо, намудҳои
## изҳорот, ҷойҳо ва тамосҳо. Истилоҳот (-eu) дар матни изҳорот истифода мешаванд.

-eu = Иттиҳоди Аврупо
-eu-short = ИА
-eeas = Хадамоти аврупоии амалиёти хориҷӣ

## Бланк

office-emblem = Иттиҳоди Аврупо
office-name = Намояндагии Иттиҳоди Аврупо дар Ҷумҳурии Тоҷикистон
office-address = 734013, Тоҷикистон, ш. Душанбе, кӯчаи Адҳамов, 74

## Сарлавҳаҳо

label-address = Суроға
label-telephone = Тел.
label-fax = Факс
label-email = Почтаи электронӣ
label-website = Сомона
label-facebook = Моро дар Facebook пайгирӣ кунед
label-background = Маълумоти заминавӣ
label-contacts = Барои тамос
label-notes = Қайдҳо барои муҳаррирон
label-number = №
label-page = Саҳифаи { $page } аз { $pages }
label-embargo = То { $datetime } нашр карда нашавад
label-draft = Лоиҳа
label-untranslated = Тарҷума нашудааст
label-stale = Тарҷума кӯҳна шудааст
label-unreviewed = Тарҷума ҳанӯз тасдиқ нашудааст
# The visible signature line of a signed PDF.
signed-by = Бо имзои электронӣ тасдиқ шудааст: { $name }, { $role }, { $date }.
# What a screen reader says for an empty signature field kept for a later signer
# ([signing] countersignatures).
signature-field-empty = Ҷой барои имзои электронии дигар

## Сана

# Тарзи навишти сана (CLDR «11 Март 2015» менависад, на тавре ки дар забони
# тоҷикӣ қабул аст): рӯз, номи моҳ бо ҳарфи хурд ва изофа, сол.
# $day, $month (1–12) ва $year рақамҳоянд.
date-long =
    { $day } { $month ->
        [1] январи
        [2] феврали
        [3] марти
        [4] апрели
        [5] майи
        [6] июни
        [7] июли
        [8] августи
        [9] сентябри
        [10] октябри
        [11] ноябри
       *[12] декабри
    } { $year }
# Сана бо вақт (эмбарго): $date — сана, $time — вақт (10:00), $offset — UTC+05:00.
date-time = { $date }, соати { $time } ({ $offset })

## Намудҳои изҳорот

kind-press-release = Иттилооти матбуотӣ
kind-statement = Изҳорот
kind-media-advisory = Эълон барои ВАО

## Ҷойҳо

place-dushanbe = Душанбе
place-khujand = Хуҷанд
place-brussels = Брюссел

## Тамосҳо

contact-press = Маҳбуба Абдуллаева
    .role = масъули матбуот ва иттилоот, Намояндагии ИА дар Тоҷикистон
    .name = Маҳбуба Абдуллаева

## The web edition and the e-mail (pressroom publish)

web-language = Тоҷикӣ
web-archive = Иттилооти матбуотӣ
web-pdf = Боргирии нусхаи бойгонӣ
web-signed = бо имзои электронӣ
web-feed = Тасмаи хабарҳо (Atom)
web-languages = Забонҳо
web-pages = Дигар иттилооти матбуотӣ
web-newer = Иттилооти матбуотии навтар
web-older = Иттилооти матбуотии пештара
web-attached = Иттилооти матбуотӣ ҳамчун файли PDF замима шудааст ва дар сомона дастрас аст:
web-kilobytes = { $size } кБ
