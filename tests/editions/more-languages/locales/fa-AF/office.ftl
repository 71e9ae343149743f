## The office's shared words in Dari (fa-AF).

-eu = اتحادیهٔ اروپا
-eu-short = اتحادیهٔ اروپا
-eeas = ادارهٔ اقدامات خارجی اروپا

## Letterhead

office-emblem = اتحادیهٔ اروپا
office-name = نمایندگی اتحادیهٔ اروپا در جمهوری تاجیکستان
office-address = تاجیکستان، دوشنبه، جادهٔ ادهموف، شمارهٔ ۷۴، ۷۳۴۰۱۳

## Labels

label-address = نشانی
label-telephone = تیلفون
label-fax = فکس
label-email = ایمیل
label-website = ویب‌سایت
label-facebook = ما را در فیسبوک دنبال کنید
label-background = پیشینه
label-contacts = تماس
label-notes = یادداشت برای خبرنگاران
label-number = شماره
label-page = صفحهٔ { $page } از { $pages }
label-embargo = نشر آن تا { $datetime } ممنوع است
label-draft = پیش‌نویس
label-untranslated = هنوز ترجمه نشده است
label-stale = ترجمه کهنه شده است
label-unreviewed = ترجمه هنوز تأیید نشده است
signed-by = به‌طور الکترونیکی توسط { $name }، { $role }، به تاریخ { $date } امضا شد.
signature-field-empty = جای یک امضای الکترونیکی دیگر

## Kinds of release

kind-press-release = اعلامیهٔ مطبوعاتی
kind-statement = اعلامیه
kind-media-advisory = اطلاعیه برای رسانه‌ها

## Places

place-dushanbe = دوشنبه
place-khujand = خجند
place-brussels = بروکسل

## Contacts

contact-press = خانم محبوبه عبدالله‌یوا
    .role = مسئول مطبوعات و اطلاعات نمایندگی اتحادیهٔ اروپا در تاجیکستان
    .name = محبوبه عبدالله‌یوا

## The web edition and the e-mail

web-language = دری
web-archive = اعلامیه‌های مطبوعاتی
web-pdf = دانلود نسخهٔ آرشیفی
web-signed = با امضای الکترونیکی
web-feed = خبرنامه (Atom)
web-languages = زبان‌ها
web-pages = اعلامیه‌های بیشتر
web-newer = اعلامیه‌های تازه‌تر
web-older = اعلامیه‌های پیشین
web-attached = اعلامیهٔ مطبوعاتی به شکل PDF ضمیمه است و در این نشانی نیز در دسترس است:
web-kilobytes = { $size } کیلوبایت
