## Общие слова Представительства: названия, бланк, подписи, виды
## сообщений, места и контакты. Термины (-eu) доступны в текстах релизов.

# Падеж: { -eu(case: "gen") } — «Европейского союза».
-eu =
    { $case ->
       *[nom] Европейский союз
        [gen] Европейского союза
        [dat] Европейскому союзу
        [acc] Европейский союз
        [ins] Европейским союзом
        [pre] Европейском союзе
    }
-eu-short = ЕС
-eeas =
    { $case ->
       *[nom] Европейская служба внешних связей
        [gen] Европейской службы внешних связей
        [dat] Европейской службе внешних связей
        [acc] Европейскую службу внешних связей
        [ins] Европейской службой внешних связей
        [pre] Европейской службе внешних связей
    }

## Бланк

office-emblem = Европейский союз
office-name = Представительство Европейского союза в Республике Таджикистан
office-address = 734013, Таджикистан, г. Душанбе, ул. Адхамова, 74

## Подписи

label-address = Адрес
label-telephone = Тел.
label-fax = Факс
label-email = Эл. почта
label-website = Веб-сайт
label-facebook = Мы в Facebook
label-background = Справочная информация
label-contacts = Контакты
label-notes = Примечания для редакторов
label-number = №
label-page = Страница { $page } из { $pages }
label-embargo = Не для публикации до { $datetime }
label-draft = Черновик
label-untranslated = Перевод отсутствует
label-stale = Перевод устарел
label-unreviewed = Перевод не утверждён
# The visible signature line of a signed PDF.
# The Russian long date ends in «г.»: no full stop after it.
signed-by = Подписано электронной подписью: { $name }, { $role }, { $date }
# What a screen reader says for an empty signature field kept for a later signer
# ([signing] countersignatures).
signature-field-empty = Место для ещё одной электронной подписи

## Виды сообщений

kind-press-release = Пресс-релиз
kind-statement = Заявление
kind-media-advisory = Информация для СМИ

## Места

place-dushanbe = Душанбе
place-khujand = Худжанд
place-brussels = Брюссель

## Контакты

contact-press = Махбуба Абдуллаева
    .role = сотрудник по вопросам прессы и информации, Представительство ЕС в Таджикистане
    .name = Махбуба Абдуллаева

## The web edition and the e-mail (pressroom publish)

web-language = Русский
web-archive = Пресс-релизы
web-pdf = Скачать архивную версию
web-signed = с электронной подписью
web-feed = Лента новостей (Atom)
web-languages = Языки
web-pages = Другие пресс-релизы
web-newer = Более новые пресс-релизы
web-older = Более ранние пресс-релизы
web-attached = Пресс-релиз прилагается в формате PDF и доступен на сайте:
web-kilobytes = { $size } кБ
