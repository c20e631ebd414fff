#!/usr/bin/env python
"""A deterministic benchmark corpus for sitegen: N versions x L languages.

    python bench/corpus.py OUT --versions N --languages L --seed S [--mkdocs OUT2]

OUT becomes a sitegen site (content/site.yaml, versions/<id>/<lang>.md and, for
languages the default theme has no interface strings for, theme/strings/<lang>.yaml
copied from the English ones). Each page is a realistic privacy statement of about
10 KB (more for ja, whose characters take 3 bytes each): ~15 `##` sections, a rights
section with 7 `###` rights marked {art=N} (15, 16, 17, 18, 20, 21, 77), paragraphs,
bullet lists, links and, after the first paragraph of about 1 section in 8 (at least
one per statement), a GFM retention table "kind of data | purpose | retention
period" of 3 to 6 rows (alignment row `|---|---|--:|`).

Each version edits the one before it: a few paragraphs get word changes (and
sometimes a sentence more or less), a bullet is added or removed, every other
version or so one table gets a cell changed or a row added or removed, and
sometimes a section is added, removed or moved. Only sections that an earlier
version added are ever removed; the version that removes one declares `renames:
{removed-id: id-of-a-permanent-section}` in its front matter, as sitegen's
anchor contract asks. Headings are never edited. Dates: one version every 30 days from
2010-01-01 (closer together if N is so large that 30 days would reach 2026).

Everything follows from --seed: the same arguments give byte-identical files.
The structure is shared by all languages (they are translations of each other);
only the wording differs. Languages: nl, en, de, ja, fr with their own text (ja,
in a non-Latin script and without spaces between words, has its own sentence
pattern and joins sentences with nothing, with 、 and 。); a 6th and later
language (es, it, pt, sv, da, pl, fi, cs, then ar, zh-Hans, ru, el, he, ko, th, hi, uk,
bg, tr, hu, ro, sk, lt, vi and id: 30 in all) reuses the English wording.

--mkdocs OUT2 also writes the same N x L pages as a plain MkDocs project:
OUT2/mkdocs.yml (built-in `mkdocs` theme, `plugins: []` so search is off,
use_directory_urls, the `attr_list` Markdown extension so that `{art=N}` is parsed
the way sitegen parses it, and `tables`) and OUT2/docs/<lang>/<version>.md holding
the same Markdown body under a front matter with only the title. --mkdocs-nav
minimal (default) gives a nav of the index page only, so no page carries a menu of
all N x L pages; --mkdocs-nav auto leaves out `nav:` (MkDocs then lists every page
in the menu of every page, which grows as (N x L)^2).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ARTICLES = ("15", "16", "17", "18", "20", "21", "77")
START = dt.date(2010, 1, 1)
TODAY = dt.date(2026, 11, 28)
EXTRA_LANGS = ("es", "it", "pt", "sv", "da", "pl", "fi", "cs",
               # a 30-language site: more scripts and directions, English wording
               "ar", "zh-Hans", "ru", "el", "he", "ko", "th", "hi", "uk", "bg", "tr", "hu",
               "ro", "sk", "lt", "vi", "id")
ORGANISATION = "Voorbeeld B.V."
REPO = Path(__file__).resolve().parents[1]

# --- wording per language --------------------------------------------------
# Every table has the same length in every language: the corpus is built from
# indices, and each language renders them in its own words.

TEXT: dict[str, dict] = {
    "nl": {
        "title": "Privacyverklaring Voorbeeld B.V.",
        "subjects": ["Wij", "Onze medewerkers", "Onze verwerkers", "Onze partners",
                     "De betrokken afdelingen", "Onze systemen", "Externe dienstverleners",
                     "Onze supportmedewerkers"],
        "verbs": ["bewaren", "verwerken", "gebruiken", "beveiligen", "verzamelen",
                  "controleren", "delen", "versleutelen", "registreren", "analyseren"],
        "objects": ["uw persoonsgegevens", "de gegevens die u ons toestuurt", "uw contactgegevens",
                    "de inhoud van uw berichten", "gegevens over uw gebruik van de website",
                    "uw IP-adres", "de gegevens van uw account", "uw betalingsgegevens",
                    "de gegevens uit uw aanvraag", "uw voorkeuren",
                    "technische gegevens van uw apparaat", "gegevens over uw klantrelatie"],
        "complements": ["zolang dat nodig is voor de afhandeling van uw vraag",
                        "op grond van de overeenkomst met u",
                        "volgens de geldende wettelijke bewaartermijnen",
                        "alleen binnen de Europese Economische Ruimte",
                        "met passende technische en organisatorische maatregelen",
                        "uitsluitend voor de doelen die in deze verklaring staan",
                        "op basis van ons gerechtvaardigd belang",
                        "nadat u daarvoor uitdrukkelijk toestemming hebt gegeven",
                        "in overeenstemming met de AVG",
                        "met de grootst mogelijke zorgvuldigheid"],
        "items": ["Naam en voornaam", "E-mailadres", "Telefoonnummer", "Bedrijfsnaam", "Functie",
                  "KvK-nummer", "Adresgegevens", "IP-adres", "Browsertype en -versie",
                  "Datum en tijd van uw bezoek", "Bezochte pagina's", "Inloggegevens",
                  "Betaalgegevens", "Factuuradres", "Correspondentie met onze supportafdeling",
                  "Voorkeuren voor nieuwsbrieven", "Gegevens uit uw identiteitsbewijs",
                  "Klantnummer", "Geboortedatum", "Taalvoorkeur", "Cookie-identificatoren",
                  "Locatiegegevens op landniveau", "Gegevens over gebruikte diensten",
                  "Opmerkingen die u zelf invult"],
        "link": "Meer informatie vindt u op [{text}]({url}).",
        "autolink": "U kunt ook terecht op <{url}>.",
        "links": ["de website van de Autoriteit Persoonsgegevens",
                  "de website van het Europees Comité voor gegevensbescherming",
                  "de tekst van de AVG", "de privacyverklaring van Google",
                  "onze cookiepagina", "onze contactpagina"],
        "base": ["Inleiding", "Wie wij zijn", "Gebruik van persoonsgegevens", "Contactformulier",
                 "E-mail", "Nieuwsbrief", "Klantaccount", "Betalingen", "Beveiliging", "Cookies",
                 "Analyse van websitegebruik", "Websites van derden", "Verwerking door derden",
                 "Wijzigingen in deze verklaring"],
        "rights_title": "Uw rechten",
        "rights": ["Recht op inzage", "Recht op correctie", "Recht op vergetelheid",
                   "Recht op beperking van de verwerking", "Recht op dataportabiliteit",
                   "Recht van bezwaar", "Recht om een klacht in te dienen"],
        "extra": ["Sollicitaties", "Evenementen en webinars", "Klantenservice via chat",
                  "Telefonische gesprekken", "Camerabeelden", "Social media", "Enquêtes",
                  "Marketing", "Doorgifte buiten de EER", "Bewaartermijnen",
                  "Geautomatiseerde besluitvorming", "Kinderen",
                  "Functionaris voor gegevensbescherming", "Datalekken", "Gebruik van de app",
                  "Betaalproviders"],
        "table_head": ["Soort gegevens", "Doel", "Bewaartermijn"],
        "purposes": ["Beantwoorden van uw vraag", "Uitvoeren van de overeenkomst",
                     "Versturen van de nieuwsbrief", "Facturering en boekhouding",
                     "Beveiliging van onze systemen", "Verbeteren van de website",
                     "Behandelen van uw sollicitatie", "Voldoen aan wettelijke verplichtingen"],
        "periods": ["4 weken", "3 maanden", "6 maanden", "1 jaar", "2 jaar", "5 jaar", "7 jaar",
                    "Tot u zich afmeldt"],
        "summary": "Versie {version}: {n} alinea's herschreven en een opsomming aangepast.",
        "added": " Nieuwe paragraaf: {title}.",
        "removed": " Paragraaf {title} is vervallen.",
        "moved": " Paragraaf {title} staat op een andere plaats.",
    },
    "en": {
        "title": "Voorbeeld B.V. privacy statement",
        "subjects": ["We", "Our staff", "Our processors", "Our partners",
                     "The departments involved", "Our systems", "External service providers",
                     "Our support staff"],
        "verbs": ["store", "process", "use", "protect", "collect", "check", "share", "encrypt",
                  "record", "analyse"],
        "objects": ["your personal data", "the data you send us", "your contact details",
                    "the content of your messages", "data about your use of the website",
                    "your IP address", "the data of your account", "your payment details",
                    "the data from your application", "your preferences",
                    "technical data of your device", "data about your customer relationship"],
        "complements": ["for as long as needed to handle your question",
                        "on the basis of our contract with you",
                        "in line with the statutory retention periods",
                        "only within the European Economic Area",
                        "with appropriate technical and organisational measures",
                        "solely for the purposes set out in this statement",
                        "on the basis of our legitimate interest",
                        "after you have given your explicit consent",
                        "in accordance with the GDPR", "with the greatest possible care"],
        "items": ["First and last name", "Email address", "Telephone number", "Company name",
                  "Job title", "Chamber of Commerce number", "Postal address", "IP address",
                  "Browser type and version", "Date and time of your visit", "Pages visited",
                  "Login details", "Payment details", "Billing address",
                  "Correspondence with our support team", "Newsletter preferences",
                  "Data from your identity document", "Customer number", "Date of birth",
                  "Language preference", "Cookie identifiers", "Country-level location data",
                  "Data about the services you use", "Remarks you enter yourself"],
        "link": "More information is available on [{text}]({url}).",
        "autolink": "You can also visit <{url}>.",
        "links": ["the website of the Dutch Data Protection Authority",
                  "the website of the European Data Protection Board", "the text of the GDPR",
                  "Google's privacy policy", "our cookie page", "our contact page"],
        "base": ["Introduction", "Who we are", "Use of personal data", "Contact form", "Email",
                 "Newsletter", "Customer account", "Payments", "Security", "Cookies",
                 "Analysis of website use", "Third-party websites", "Processing by third parties",
                 "Changes to this statement"],
        "rights_title": "Your rights",
        "rights": ["Right of access", "Right to rectification", "Right to erasure",
                   "Right to restriction of processing", "Right to data portability",
                   "Right to object", "Right to lodge a complaint"],
        "extra": ["Job applications", "Events and webinars", "Customer service via chat",
                  "Telephone calls", "Camera images", "Social media", "Surveys", "Marketing",
                  "Transfers outside the EEA", "Retention periods", "Automated decision-making",
                  "Children", "Data protection officer", "Data breaches", "Use of the app",
                  "Payment providers"],
        "table_head": ["Kind of data", "Purpose", "Retention period"],
        "purposes": ["Answering your question", "Performing our contract with you",
                     "Sending the newsletter", "Invoicing and accounting",
                     "Securing our systems", "Improving the website",
                     "Handling your application", "Meeting our legal obligations"],
        "periods": ["4 weeks", "3 months", "6 months", "1 year", "2 years", "5 years", "7 years",
                    "Until you unsubscribe"],
        "summary": "Version {version}: {n} paragraphs reworded and a list updated.",
        "added": " New section: {title}.",
        "removed": " Section {title} was dropped.",
        "moved": " Section {title} moved.",
    },
    "de": {
        "title": "Datenschutzerklärung der Voorbeeld B.V.",
        "subjects": ["Wir", "Unsere Mitarbeiter", "Unsere Auftragsverarbeiter", "Unsere Partner",
                     "Die beteiligten Abteilungen", "Unsere Systeme", "Externe Dienstleister",
                     "Unsere Supportmitarbeiter"],
        "verbs": ["speichern", "verarbeiten", "nutzen", "schützen", "erheben", "prüfen", "teilen",
                  "verschlüsseln", "erfassen", "analysieren"],
        "objects": ["Ihre personenbezogenen Daten", "die Daten, die Sie uns senden",
                    "Ihre Kontaktdaten", "den Inhalt Ihrer Nachrichten",
                    "Daten über Ihre Nutzung der Website", "Ihre IP-Adresse",
                    "die Daten Ihres Kontos", "Ihre Zahlungsdaten", "die Daten aus Ihrem Antrag",
                    "Ihre Präferenzen", "technische Daten Ihres Geräts",
                    "Daten über Ihre Kundenbeziehung"],
        "complements": ["so lange, wie es für die Bearbeitung Ihrer Anfrage nötig ist",
                        "auf Grundlage des Vertrags mit Ihnen",
                        "gemäß den gesetzlichen Aufbewahrungsfristen",
                        "nur innerhalb des Europäischen Wirtschaftsraums",
                        "mit geeigneten technischen und organisatorischen Maßnahmen",
                        "ausschließlich für die in dieser Erklärung genannten Zwecke",
                        "auf Grundlage unseres berechtigten Interesses",
                        "nachdem Sie ausdrücklich eingewilligt haben", "im Einklang mit der DSGVO",
                        "mit größtmöglicher Sorgfalt"],
        "items": ["Vor- und Nachname", "E-Mail-Adresse", "Telefonnummer", "Firmenname", "Funktion",
                  "Handelsregisternummer", "Postanschrift", "IP-Adresse", "Browsertyp und -version",
                  "Datum und Uhrzeit Ihres Besuchs", "Besuchte Seiten", "Zugangsdaten",
                  "Zahlungsdaten", "Rechnungsadresse", "Korrespondenz mit unserem Support",
                  "Newsletter-Einstellungen", "Daten aus Ihrem Ausweisdokument", "Kundennummer",
                  "Geburtsdatum", "Bevorzugte Sprache", "Cookie-Kennungen",
                  "Standortdaten auf Länderebene", "Daten über die genutzten Dienste",
                  "Anmerkungen, die Sie selbst eingeben"],
        "link": "Weitere Informationen finden Sie unter [{text}]({url}).",
        "autolink": "Sie können auch <{url}> besuchen.",
        "links": ["der Website der niederländischen Datenschutzbehörde",
                  "der Website des Europäischen Datenschutzausschusses", "dem Text der DSGVO",
                  "der Datenschutzerklärung von Google", "unserer Cookie-Seite",
                  "unserer Kontaktseite"],
        "base": ["Einleitung", "Wer wir sind", "Verwendung personenbezogener Daten",
                 "Kontaktformular", "E-Mail", "Newsletter", "Kundenkonto", "Zahlungen",
                 "Sicherheit", "Cookies", "Analyse der Websitenutzung", "Websites Dritter",
                 "Verarbeitung durch Dritte", "Änderungen dieser Erklärung"],
        "rights_title": "Ihre Rechte",
        "rights": ["Auskunftsrecht", "Recht auf Berichtigung", "Recht auf Löschung",
                   "Recht auf Einschränkung der Verarbeitung", "Recht auf Datenübertragbarkeit",
                   "Widerspruchsrecht", "Beschwerderecht"],
        "extra": ["Bewerbungen", "Veranstaltungen und Webinare", "Kundenservice per Chat",
                  "Telefongespräche", "Videoaufnahmen", "Soziale Medien", "Umfragen",
                  "Marketing", "Übermittlung außerhalb des EWR", "Speicherfristen",
                  "Automatisierte Entscheidungsfindung", "Kinder", "Datenschutzbeauftragter",
                  "Datenschutzverletzungen", "Nutzung der App", "Zahlungsdienstleister"],
        "table_head": ["Art der Daten", "Zweck", "Speicherdauer"],
        "purposes": ["Beantwortung Ihrer Anfrage", "Erfüllung des Vertrags mit Ihnen",
                     "Versand des Newsletters", "Rechnungsstellung und Buchhaltung",
                     "Sicherheit unserer Systeme", "Verbesserung der Website",
                     "Bearbeitung Ihrer Bewerbung", "Erfüllung gesetzlicher Pflichten"],
        "periods": ["4 Wochen", "3 Monate", "6 Monate", "1 Jahr", "2 Jahre", "5 Jahre", "7 Jahre",
                    "Bis zu Ihrer Abmeldung"],
        "summary": "Version {version}: {n} Absätze überarbeitet und eine Liste angepasst.",
        "added": " Neuer Abschnitt: {title}.",
        "removed": " Der Abschnitt {title} entfällt.",
        "moved": " Der Abschnitt {title} wurde verschoben.",
    },
    "ja": {
        # No spaces between words: sentences follow "sentence" and are joined by
        # "joiner" (""), with the Japanese comma and full stop.
        "sentence": "{subject}は、{complement}、{object}を{verb}。",
        "joiner": "",
        "title": "Voorbeeld B.V. プライバシーポリシー",
        "subjects": ["私たち", "私たちの従業員", "私たちの委託先", "私たちの提携先", "関係部署",
                     "私たちのシステム", "外部のサービス提供者", "私たちのサポート担当者"],
        "verbs": ["保存します", "取り扱います", "利用します", "保護します", "収集します",
                  "確認します", "共有します", "暗号化します", "記録します", "分析します"],
        "objects": ["あなたの個人情報", "あなたから送信されたデータ", "あなたの連絡先",
                    "あなたのメッセージの内容", "ウェブサイトのご利用に関するデータ",
                    "あなたのIPアドレス", "あなたのアカウントのデータ", "あなたの支払情報",
                    "あなたのお申込みに含まれるデータ", "あなたの設定",
                    "あなたの端末の技術的なデータ", "あなたとの取引関係に関するデータ"],
        "complements": ["お問い合わせへの対応に必要な期間に限り", "あなたとの契約に基づき",
                        "法令で定められた保存期間に従い", "欧州経済領域内に限り",
                        "適切な技術的および組織的な措置を講じたうえで",
                        "本ポリシーに記載した目的のためにのみ", "私たちの正当な利益に基づき",
                        "あなたから明示的な同意をいただいた後に", "GDPRに従い",
                        "細心の注意を払って"],
        "items": ["氏名", "メールアドレス", "電話番号", "会社名", "役職", "商業登記番号", "住所",
                  "IPアドレス", "ブラウザの種類とバージョン", "ご訪問の日時", "閲覧したページ",
                  "ログイン情報", "支払情報", "請求先住所", "サポート窓口とのやり取り",
                  "ニュースレターの配信設定", "本人確認書類の情報", "顧客番号", "生年月日",
                  "使用言語", "Cookie識別子", "国単位の位置情報", "ご利用のサービスに関するデータ",
                  "あなたご自身が入力した備考"],
        "link": "詳しくは、[{text}]({url})をご覧ください。",
        "autolink": "<{url}>もご覧いただけます。",
        "links": ["オランダ個人データ保護機関のウェブサイト", "欧州データ保護会議のウェブサイト",
                  "GDPRの条文", "Googleのプライバシーポリシー", "Cookieに関する私たちのページ",
                  "私たちのお問い合わせページ"],
        "base": ["はじめに", "私たちについて", "個人情報の取り扱い", "お問い合わせフォーム",
                 "電子メール", "ニュースレター", "顧客アカウント", "お支払い", "安全管理措置",
                 "Cookie", "ウェブサイト利用状況の分析", "第三者のウェブサイト",
                 "第三者による取り扱い", "本ポリシーの変更"],
        "rights_title": "あなたの権利",
        "rights": ["アクセスの権利", "訂正の権利", "消去の権利", "取扱いの制限の権利",
                   "データポータビリティの権利", "異議を述べる権利",
                   "監督機関に異議を申立てる権利"],
        "extra": ["採用応募", "イベントとウェビナー", "チャットによるカスタマーサービス",
                  "電話でのお問い合わせ", "防犯カメラの映像", "ソーシャルメディア", "アンケート",
                  "マーケティング", "EEA域外への移転", "保存期間", "自動化された意思決定",
                  "子どもの個人情報", "データ保護オフィサー", "個人情報の漏えい", "アプリのご利用",
                  "決済サービス事業者"],
        "table_head": ["データの種類", "利用目的", "保存期間"],
        "purposes": ["お問い合わせへの回答", "あなたとの契約の履行", "ニュースレターの配信",
                     "請求および会計処理", "システムの安全管理", "ウェブサイトの改善", "採用選考",
                     "法令上の義務の履行"],
        "periods": ["4週間", "3か月", "6か月", "1年", "2年", "5年", "7年", "配信停止まで"],
        "summary": "バージョン{version}：{n}件の段落を書き換え、一覧を更新しました。",
        "added": "新しい項目「{title}」を追加しました。",
        "removed": "項目「{title}」を削除しました。",
        "moved": "項目「{title}」の位置を変更しました。",
    },
    "fr": {
        "title": "Déclaration de confidentialité de Voorbeeld B.V.",
        "subjects": ["Nos services", "Nos collaborateurs", "Nos sous-traitants", "Nos partenaires",
                     "Les départements concernés", "Nos systèmes", "Les prestataires externes",
                     "Nos agents d’assistance"],
        "verbs": ["conservent", "traitent", "utilisent", "protègent", "collectent", "vérifient",
                  "partagent", "chiffrent", "enregistrent", "analysent"],
        "objects": ["vos données personnelles", "les données que vous nous envoyez",
                    "vos coordonnées", "le contenu de vos messages",
                    "des données sur votre utilisation du site", "votre adresse IP",
                    "les données de votre compte", "vos données de paiement",
                    "les données de votre demande", "vos préférences",
                    "des données techniques de votre appareil",
                    "des données sur votre relation client"],
        "complements": ["aussi longtemps que nécessaire pour traiter votre demande",
                        "sur la base du contrat conclu avec vous",
                        "conformément aux durées légales de conservation",
                        "uniquement au sein de l’Espace économique européen",
                        "avec des mesures techniques et organisationnelles appropriées",
                        "exclusivement aux fins décrites dans la présente déclaration",
                        "sur la base de notre intérêt légitime",
                        "après votre consentement explicite", "conformément au RGPD",
                        "avec le plus grand soin"],
        "items": ["Nom et prénom", "Adresse électronique", "Numéro de téléphone", "Raison sociale",
                  "Fonction", "Numéro d’immatriculation", "Adresse postale", "Adresse IP",
                  "Type et version du navigateur", "Date et heure de votre visite",
                  "Pages consultées", "Identifiants de connexion", "Données de paiement",
                  "Adresse de facturation", "Échanges avec notre service d’assistance",
                  "Préférences d’abonnement à la lettre d’information",
                  "Données de votre pièce d’identité", "Numéro client", "Date de naissance",
                  "Langue préférée", "Identifiants de cookies", "Localisation au niveau du pays",
                  "Données sur les services utilisés", "Remarques que vous saisissez vous-même"],
        "link": "Vous trouverez plus d’informations sur [{text}]({url}).",
        "autolink": "Vous pouvez aussi consulter <{url}>.",
        "links": ["le site de l’autorité néerlandaise de protection des données",
                  "le site du Comité européen de la protection des données", "le texte du RGPD",
                  "la politique de confidentialité de Google", "notre page sur les cookies",
                  "notre page de contact"],
        "base": ["Introduction", "Qui sommes-nous", "Utilisation des données personnelles",
                 "Formulaire de contact", "Courrier électronique", "Lettre d’information",
                 "Compte client", "Paiements", "Sécurité", "Cookies",
                 "Analyse de l’utilisation du site", "Sites de tiers", "Traitement par des tiers",
                 "Modifications de la présente déclaration"],
        "rights_title": "Vos droits",
        "rights": ["Droit d’accès", "Droit de rectification", "Droit à l’effacement",
                   "Droit à la limitation du traitement", "Droit à la portabilité des données",
                   "Droit d’opposition", "Droit d’introduire une réclamation"],
        "extra": ["Candidatures", "Événements et webinaires", "Service client par chat",
                  "Appels téléphoniques", "Images de vidéosurveillance", "Réseaux sociaux",
                  "Enquêtes", "Marketing", "Transferts hors de l’EEE", "Durées de conservation",
                  "Prise de décision automatisée", "Enfants",
                  "Délégué à la protection des données", "Violations de données",
                  "Utilisation de l’application", "Prestataires de paiement"],
        "table_head": ["Type de données", "Finalité", "Durée de conservation"],
        "purposes": ["Réponse à votre demande", "Exécution du contrat conclu avec vous",
                     "Envoi de la lettre d’information", "Facturation et comptabilité",
                     "Sécurité de nos systèmes", "Amélioration du site",
                     "Traitement de votre candidature", "Respect de nos obligations légales"],
        "periods": ["4 semaines", "3 mois", "6 mois", "1 an", "2 ans", "5 ans", "7 ans",
                    "Jusqu’à votre désinscription"],
        "summary": "Version {version} : {n} paragraphes reformulés et une liste mise à jour.",
        "added": " Nouvelle section : {title}.",
        "removed": " La section {title} est supprimée.",
        "moved": " La section {title} a été déplacée.",
    },
}
URLS = ["https://autoriteitpersoonsgegevens.nl/", "https://edpb.europa.eu/",
        "https://eur-lex.europa.eu/eli/reg/2016/679/oj", "https://policies.google.com/privacy",
        "https://www.example.org/cookies", "https://www.example.org/contact"]
RIGHTS_SECTION = 11          # the rights section's place among the 15 initial sections
TABLE_SHARE = 0.125          # the share of sections whose intro a retention table follows
PURPOSES = len(TEXT["en"]["purposes"])
PERIODS = len(TEXT["en"]["periods"])

SENTENCE = "{subject} {verb} {object} {complement}."    # a language's "sentence" or this
JOINER = " "                 # between a paragraph's sentences: a language's "joiner" or this
TABLE_ALIGN = "|---|---|--:|"    # kind of data | purpose | retention period (right-aligned)

for _lang, _table in TEXT.items():
    for _key in ("subjects", "verbs", "objects", "complements", "items", "links", "base",
                 "rights", "extra", "table_head", "purposes", "periods"):
        assert len(_table[_key]) == len(TEXT["en"][_key]), (_lang, _key)


def languages(count: int) -> list[str]:
    codes = ["nl", "en", "de", "ja", "fr", *EXTRA_LANGS]
    if not 1 <= count <= len(codes):
        raise SystemExit(f"--languages must be 1..{len(codes)}")
    return codes[:count]


def words(lang: str) -> dict:
    return TEXT.get(lang, TEXT["en"])


def slugify(text: str) -> str:
    """sitegen's anchor id of a heading text: the renames the corpus declares must
    name the ids sitegen gives (its rule is a contract, README "Anchors")."""
    from sitegen.markdown.anchors import slugify as sitegen_slugify
    return sitegen_slugify(text)


# --- the structure all languages share --------------------------------------

@dataclass
class Paragraph:
    # each sentence: ("s", subject, verb, object, complement) | ("link", n) | ("auto", n)
    sentences: list[tuple]
    kind: str = "p"


@dataclass
class BulletList:
    items: list[int]
    kind: str = "ul"


@dataclass
class Table:
    # each row: [item, purpose, period], indices into items / purposes / periods;
    # the items of a table's rows are distinct
    rows: list[list[int]]
    kind: str = "table"


@dataclass
class Right:
    article: int                    # index into ARTICLES
    blocks: list


@dataclass
class Section:
    kind: str                       # base | extra | rights
    title: int                      # index into base/extra titles; unused for rights
    blocks: list
    rights: list[Right] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_extra = 0

    def sentence(self) -> tuple:
        r = self.rng
        return ("s", r.randrange(8), r.randrange(10), r.randrange(12), r.randrange(10))

    def paragraph(self, low: int = 2, high: int = 3, link: float = 0.3) -> Paragraph:
        sentences = [self.sentence() for _ in range(self.rng.randint(low, high))]
        if self.rng.random() < link:
            sentences.append((self.rng.choice(["link", "link", "auto"]),
                              self.rng.randrange(len(URLS))))
        return Paragraph(sentences)

    def bullets(self, low: int = 3, high: int = 6) -> BulletList:
        return BulletList(self.rng.sample(range(24), self.rng.randint(low, high)))

    def table(self, low: int = 3, high: int = 6) -> Table:
        r = self.rng
        return Table([[item, r.randrange(PURPOSES), r.randrange(PERIODS)]
                      for item in r.sample(range(24), r.randint(low, high))])

    def blocks(self) -> list:
        blocks = [self.paragraph()]
        if self.rng.random() < TABLE_SHARE:             # a retention table after the intro
            blocks.append(self.table())
        if self.rng.random() < 0.45:
            blocks.append(self.bullets())
            if self.rng.random() < 0.5:
                blocks.append(self.paragraph(1, 2, link=0.0))
        elif self.rng.random() < 0.5:
            blocks.append(self.paragraph(1, 2))
        return blocks

    def rights_section(self) -> Section:
        rights = []
        for n in range(len(ARTICLES)):
            blocks = [self.paragraph(1, 3, link=0.0)]
            if n in (0, 3):                  # access, restriction: what to send / when
                blocks += [self.bullets(3, 5), self.paragraph(1, 1, link=0.0)]
            if n == 6:
                blocks.append(Paragraph([("auto", 0)]))
            rights.append(Right(n, blocks))
        return Section("rights", -1, [self.paragraph(2, 3, link=0.0)], rights)

    def first(self) -> list[Section]:
        sections = [Section("base", n, self.blocks()) for n in range(14)]
        if not any(b.kind == "table" for s in sections for b in s.blocks):
            self.rng.choice(sections[1:]).blocks.insert(1, self.table())   # at least one
        sections.insert(RIGHTS_SECTION, self.rights_section())
        return sections

    def new_extra(self) -> Section:
        section = Section("extra", self.next_extra, self.blocks())
        self.next_extra += 1
        return section


def all_blocks(sections: list[Section]) -> list:
    found = []
    for section in sections:
        found += section.blocks
        for right in section.rights:
            found += right.blocks
    return found


@dataclass
class Change:
    edited: int = 0
    added: Section | None = None
    removed: Section | None = None
    moved: Section | None = None
    rename_to: Section | None = None     # a permanent section the removed one points to


def evolve(gen: Generator, sections: list[Section]) -> tuple[list[Section], Change]:
    """The next version: a deep copy of ``sections`` with a few edits."""
    r = gen.rng
    sections = copy_sections(sections)
    change = Change()
    paragraphs = [b for b in all_blocks(sections) if b.kind == "p"
                  and any(s[0] == "s" for s in b.sentences)]
    for para in r.sample(paragraphs, r.randint(2, 4)):
        change.edited += 1
        plain = [i for i, s in enumerate(para.sentences) if s[0] == "s"]
        i = r.choice(plain)
        slot = r.randint(1, 4)
        sizes = (0, 8, 10, 12, 10)
        s = list(para.sentences[i])
        s[slot] = (s[slot] + r.randint(1, sizes[slot] - 1)) % sizes[slot]    # a different word
        para.sentences[i] = tuple(s)
        roll = r.random()
        if roll < 0.2 and len(plain) < 4:
            para.sentences.insert(r.randint(0, len(plain)), gen.sentence())
        elif roll < 0.4 and len(plain) > 1:
            del para.sentences[r.choice(plain)]
    lists = [b for b in all_blocks(sections) if b.kind == "ul"]
    if lists:
        bullets = r.choice(lists)
        unused = [n for n in range(24) if n not in bullets.items]
        if len(bullets.items) > 2 and (r.random() < 0.5 or len(bullets.items) >= 8):
            del bullets.items[r.randrange(len(bullets.items))]
        else:
            bullets.items.insert(r.randint(0, len(bullets.items)), r.choice(unused))
    tables = [b for b in all_blocks(sections) if b.kind == "table"]
    if tables and r.random() < 0.5:
        table = r.choice(tables)
        roll = r.random()
        unused = [n for n in range(24) if n not in (row[0] for row in table.rows)]
        if roll < 0.5:                                  # one cell's text
            row = r.choice(table.rows)
            col = r.randrange(3)
            if col == 0:
                row[0] = r.choice(unused)
            else:
                size = (0, PURPOSES, PERIODS)[col]
                row[col] = (row[col] + r.randint(1, size - 1)) % size
        elif len(table.rows) > 2 and (roll < 0.75 or len(table.rows) >= 7):
            del table.rows[r.randrange(len(table.rows))]
        else:
            table.rows.insert(r.randint(0, len(table.rows)),
                              [r.choice(unused), r.randrange(PURPOSES), r.randrange(PERIODS)])
    roll = r.random()
    extras = [s for s in sections if s.kind == "extra"]
    if roll < 0.08:
        change.added = gen.new_extra()
        sections.insert(r.randint(1, len(sections) - 1), change.added)
    elif roll < 0.20 and extras:
        change.removed = r.choice(extras)
        sections.remove(change.removed)
        change.rename_to = r.choice([s for s in sections if s.kind == "base"])
    elif roll < 0.30:
        movable = [s for s in sections[1:] if s.kind != "rights"]
        change.moved = r.choice(movable)
        sections.remove(change.moved)
        sections.insert(r.randint(1, len(sections)), change.moved)
    elif roll < 0.35:
        rights = next(s for s in sections if s.kind == "rights").rights
        a, b = r.sample(range(len(rights)), 2)
        rights[a], rights[b] = rights[b], rights[a]
    return sections, change


def copy_sections(sections: list[Section]) -> list[Section]:
    def copy_block(block):
        if block.kind == "p":
            return Paragraph(list(block.sentences))
        if block.kind == "table":
            return Table([list(row) for row in block.rows])
        return BulletList(list(block.items))
    return [Section(s.kind, s.title, [copy_block(b) for b in s.blocks],
                    [Right(r.article, [copy_block(b) for b in r.blocks]) for r in s.rights])
            for s in sections]


# --- rendering -----------------------------------------------------------------

def section_title(section: Section, lang: str) -> str:
    w = words(lang)
    if section.kind == "base":
        return w["base"][section.title]
    if section.kind == "rights":
        return w["rights_title"]
    pool = w["extra"]
    title = pool[section.title % len(pool)]
    rounds = section.title // len(pool)
    return f"{title} {rounds + 1}" if rounds else title


def render_block(block, lang: str) -> str:
    w = words(lang)
    if block.kind == "ul":
        return "\n".join(f"- {w['items'][n]}" for n in block.items)
    if block.kind == "table":
        rows = [w["table_head"], *([w["items"][a], w["purposes"][b], w["periods"][c]]
                                   for a, b, c in block.rows)]
        lines = [f"| {' | '.join(cells)} |" for cells in rows]
        return "\n".join([lines[0], TABLE_ALIGN, *lines[1:]])
    out = []
    sentence = w.get("sentence", SENTENCE)
    for s in block.sentences:
        if s[0] == "s":
            out.append(sentence.format(subject=w["subjects"][s[1]], verb=w["verbs"][s[2]],
                                       object=w["objects"][s[3]],
                                       complement=w["complements"][s[4]]))
        elif s[0] == "link":
            out.append(w["link"].format(text=w["links"][s[1]], url=URLS[s[1]]))
        else:
            out.append(w["autolink"].format(url=URLS[s[1]]))
    return w.get("joiner", JOINER).join(out)


def render_body(sections: list[Section], lang: str) -> str:
    parts = []
    for section in sections:
        parts.append(f"## {section_title(section, lang)}")
        parts += [render_block(b, lang) for b in section.blocks]
        for right in section.rights:
            parts.append(f"### {words(lang)['rights'][right.article]} "
                         f"{{art={ARTICLES[right.article]}}}")
            parts += [render_block(b, lang) for b in right.blocks]
    return "\n\n".join(parts) + "\n"


def yaml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)     # a JSON string is a YAML scalar


def summary(version: str, change: Change | None, lang: str) -> str:
    w = words(lang)
    if change is None:
        return {"nl": "Eerste versie.", "de": "Erste Fassung.", "fr": "Première version.",
                "ja": "初版。"}.get(lang, "First version.")
    text = w["summary"].format(version=version, n=change.edited)
    for key in ("added", "removed", "moved"):
        section = getattr(change, key)
        if section is not None:
            text += w[key].format(title=section_title(section, lang))
    return text


def render_document(version: str, date: dt.date, sections: list[Section],
                    change: Change | None, lang: str) -> str:
    lines = ["---", f"title: {yaml_str(words(lang)['title'])}", f"date: {date.isoformat()}",
             f"summary: {yaml_str(summary(version, change, lang))}"]
    if change is not None and change.removed is not None:
        old = slugify(section_title(change.removed, lang))
        new = slugify(section_title(change.rename_to, lang))
        lines += ["renames:", f"  {old}: {new}"]
    return "\n".join(lines + ["---", ""]) + "\n" + render_body(sections, lang)


def version_id(index: int) -> str:
    return f"{1 + index // 10}.{index % 10}"


def dates(count: int) -> list[dt.date]:
    step = min(30, (TODAY - START).days // max(count, 1))
    return [START + dt.timedelta(days=step * i) for i in range(count)]


def generate(versions: int, langs: list[str], seed: int):
    """Yield (version id, date, {lang: file text}) oldest first."""
    gen = Generator(seed)
    sections, change = gen.first(), None
    for index, date in enumerate(dates(versions)):
        if index:
            sections, change = evolve(gen, sections)
        vid = version_id(index)
        yield vid, date, {lang: render_document(vid, date, sections, change, lang)
                          for lang in langs}


def site_yaml(langs: list[str]) -> str:
    titles = "\n".join(f"  {lang}: {yaml_str(words(lang)['title'])}" for lang in langs)
    locales = "locales:\n  en: en_GB\n" if "en" in langs else ""
    return (f"# Benchmark corpus written by bench/corpus.py.\n"
            f"organisation: {ORGANISATION}\nwebsite: https://www.example.org/\n"
            f"base_url: https://privacy.example.org/\nlanguages: [{', '.join(langs)}]\n"
            f"title:\n{titles}\n{locales}")


def default_strings(lang: str) -> Path:
    return REPO / "sitegen" / "theme" / "strings" / f"{lang}.yaml"


def fresh(folder: Path) -> None:
    if folder.exists():
        if any(folder.iterdir()) and not (folder / ".bench-corpus").exists():
            raise SystemExit(f"{folder} exists and was not written by bench/corpus.py; "
                             "choose a new folder")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / ".bench-corpus").write_text("written by bench/corpus.py\n")


def write_corpus(out: Path, versions: int, count: int, seed: int,
                 mkdocs: Path | None = None, mkdocs_nav: str = "minimal") -> dict:
    """Write the corpus (and the MkDocs twin); return a few facts about it."""
    langs = languages(count)
    fresh(out)
    (out / "content").mkdir()
    (out / "content" / "site.yaml").write_text(site_yaml(langs), "utf-8")
    for lang in langs:
        if not default_strings(lang).is_file():
            (out / "theme" / "strings").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(default_strings("en"), out / "theme" / "strings" / f"{lang}.yaml")
    if mkdocs is not None:
        fresh(mkdocs)
        (mkdocs / "docs").mkdir()
    sizes, last = [], None
    for vid, _date, texts in generate(versions, langs, seed):
        folder = out / "versions" / vid
        folder.mkdir(parents=True)
        for lang, text in texts.items():
            (folder / f"{lang}.md").write_text(text, "utf-8")
            sizes.append(len(text.encode("utf-8")))
            if mkdocs is not None:
                body = text.split("\n---\n", 1)[1]
                target = mkdocs / "docs" / lang / f"{vid}.md"
                target.parent.mkdir(exist_ok=True)
                target.write_text(f"---\ntitle: {yaml_str(words(lang)['title'] + ' ' + vid)}\n"
                                  f"---\n{body}", "utf-8")
        last = vid
    if mkdocs is not None:
        write_mkdocs(mkdocs, langs, last, mkdocs_nav)
    return {"languages": langs, "versions": versions, "pages": len(sizes), "latest": last,
            "mean_bytes": sum(sizes) / len(sizes), "min_bytes": min(sizes),
            "max_bytes": max(sizes)}


def write_mkdocs(folder: Path, langs: list[str], latest: str, nav: str) -> None:
    links = "\n".join(f"- [{lang}]({lang}/{latest}.md)" for lang in langs)
    (folder / "docs" / "index.md").write_text(
        f"# {ORGANISATION}\n\nThe latest privacy statement in each language:\n\n{links}\n",
        "utf-8")
    nav_text = "nav:\n  - index.md\n" if nav == "minimal" else ""
    (folder / "mkdocs.yml").write_text(
        "# Benchmark twin of a sitegen corpus, written by bench/corpus.py.\n"
        f"site_name: {ORGANISATION} privacy statement\n"
        "site_url: https://privacy.example.org/\n"
        "docs_dir: docs\n"
        "use_directory_urls: true\n"
        "theme:\n  name: mkdocs\n"
        "plugins: []\n"
        "markdown_extensions:\n  - attr_list\n  - tables\n"
        + nav_text, "utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the sitegen site (new or a "
                        "corpus written before)")
    parser.add_argument("--versions", type=int, default=50)
    parser.add_argument("--languages", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mkdocs", type=Path, default=None, metavar="OUT2",
                        help="also write the same pages as a plain MkDocs project here")
    parser.add_argument("--mkdocs-nav", choices=["minimal", "auto"], default="minimal")
    args = parser.parse_args(argv)
    if args.versions < 1:
        parser.error("--versions must be at least 1")
    facts = write_corpus(args.out, args.versions, args.languages, args.seed, args.mkdocs,
                         args.mkdocs_nav)
    print(f"wrote {facts['pages']} pages ({facts['versions']} versions x "
          f"{len(facts['languages'])} languages: {', '.join(facts['languages'])}) to {args.out}; "
          f"page size mean {facts['mean_bytes'] / 1024:.1f} KB "
          f"(min {facts['min_bytes'] / 1024:.1f}, max {facts['max_bytes'] / 1024:.1f})"
          + (f"; MkDocs project in {args.mkdocs}" if args.mkdocs else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
