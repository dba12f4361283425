"""The rule families as data in many languages: every language file loads, claims the
widget text of its language and leaves that language's article prose alone.

Examples are written for these tests (not taken from any page)."""

from __future__ import annotations

import pytest

from cleaning.rules import FAMILIES, LANGUAGES, classify_line
from cleaning.rules.languages import KNOWN_FAMILIES, RuleFileError, load_language_file

REQUIRED_LANGUAGES = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "tr"}
# The families; "caption" holds photo credits, "paywall" the subscription wall.
REQUIRED_FAMILIES = {
    "share", "donation", "newsletter", "cookie", "related", "comment-chrome", "disclaimer",
    "caption", "paywall",
}  # fmt: skip

CHROME: dict[str, dict[str, list[str]]] = {
    "de": {
        "share": ["Artikel teilen", "Teilen auf Facebook"],
        "donation": [
            "Jetzt spenden",
            "Unterstützen Sie unabhängigen Journalismus",
            "Jetzt unterstützen",
        ],
        "newsletter": ["Melden Sie sich für unseren Newsletter an"],
        "cookie": ["Alle akzeptieren", "Datenschutzeinstellungen"],
        "related": ["Mehr zum Thema", "Lesen Sie auch: Neue Regeln für E-Scooter"],
        "comment-chrome": [
            "12 Kommentare",
            "Kommentar schreiben",
            "zu den Kommentaren (0)",
            "Neueste zuerst",
            "Nur angemeldete Benutzer können kommentieren und bewerten.",
        ],
        "comment-policy": [
            "Bitte lies unsere Kommentar-Regeln, bevor Du einen Kommentar verfasst."
        ],
        "caption": ["Foto: dpa", "Max Muster / dpa"],
        "paywall": ["Jetzt weiterlesen mit Plus", "Bereits Abonnent? Hier anmelden"],
    },
    "fr": {
        "share": ["Partager sur Facebook", "Partager cet article"],
        "donation": ["Faire un don", "Soutenez notre rédaction indépendante"],
        "newsletter": ["Inscrivez-vous à notre newsletter"],
        "cookie": ["Tout accepter", "Continuer sans accepter"],
        "related": ["À lire aussi", "Les plus lus"],
        "comment-chrome": ["3 commentaires", "Laisser un commentaire"],
        "disclaimer": ["Les propos tenus n'engagent que leurs auteurs."],
        "caption": ["Photo : AFP", "Crédit photo : Jean Dupont"],
        "paywall": ["Article réservé aux abonnés", "Déjà abonné ? Se connecter"],
    },
    "es": {
        "share": ["Compartir en Twitter", "Comparte esta noticia"],
        "related": ["Lee también", "Noticias relacionadas", "Lo más leído"],
        "cookie": ["Aceptar todo", "Rechazar"],
        "comment-chrome": ["Deja tu comentario", "5 comentarios"],
        "caption": ["Foto: EFE", "Imagen de archivo"],
        "paywall": ["Contenido exclusivo para suscriptores"],
    },
    "it": {
        "share": ["Condividi", "Condividi su Facebook"],
        "related": ["Leggi anche", "I più letti"],
        "cookie": ["Accetta tutti", "Rifiuta"],
        "comment-chrome": ["Lascia un commento", "Il tuo indirizzo email non sarà pubblicato."],
        "caption": ["Foto Ansa", "Mario Rossi / LaPresse"],
        "paywall": ["Contenuto riservato agli abbonati"],
    },
    "pt": {
        "share": ["Compartilhar", "Partilhar no Facebook"],
        "related": ["Leia também", "Mais lidas"],
        "cookie": ["Aceitar todos", "Política de privacidade"],
        "comment-chrome": ["Deixe um comentário", "O seu endereço de email não será publicado."],
        "caption": ["Foto: Reprodução", "Imagem: Agência Brasil"],
        "paywall": ["Conteúdo exclusivo para assinantes"],
    },
    "nl": {
        "share": ["Deel dit artikel", "Delen"],
        "related": ["Lees ook", "Meest gelezen"],
        "newsletter": ["Meld je aan voor onze nieuwsbrief"],
        "cookie": ["Alles accepteren", "Akkoord"],
        "comment-chrome": ["Laat een reactie achter", "4 reacties"],
        "caption": ["Foto ANP", "Beeld: Reuters"],
    },
    "pl": {
        "share": ["Udostępnij", "Podziel się"],
        "related": ["Czytaj też", "Najczęściej czytane"],
        "cookie": ["Akceptuję", "Zgadzam się"],
        "comment-chrome": ["Dodaj komentarz", "12 komentarzy"],
        "donation": ["Wesprzyj nas"],
        "caption": ["Fot. PAP", "Źródło: Reuters"],
    },
    "ru": {
        "share": ["Поделиться", "Распечатать"],
        "related": ["Читайте также", "Самое читаемое"],
        "cookie": ["Мы используем файлы cookie для улучшения работы сайта"],
        "comment-chrome": ["Оставить комментарий", "5 комментариев"],
        "caption": ["Фото: ТАСС", "Фото: РИА Новости"],
        "donation": ["Поддержите нас"],
    },
    "tr": {
        "share": ["Paylaş", "Haberi paylaş"],
        "related": ["İlginizi çekebilir", "En çok okunanlar"],
        "cookie": ["Tümünü kabul et", "Sitemizde çerezler kullanılmaktadır."],
        "comment-chrome": ["Yorum yap", "Yorumlar (3)"],
        "caption": ["Fotoğraf: AA", "Ahmet Yılmaz / AA"],
        "donation": ["Destek ol"],
    },
    "cs": {
        "share": ["Sdílet článek", "Kopírovat odkaz"],
        "related": ["Související", "Mohlo by vás zajímat", "Čtěte také: Nové jízdní řády"],
        "cookie": ["Přijmout vše"],
        "comment-chrome": ["Diskuse (12)", "5 komentářů"],
        "newsletter": ["Nejnovější zprávy do e-mailu: přihlaste se k newsletteru"],
        "ads": ["Reklama"],
    },
}

PROSE: dict[str, list[str]] = {
    "de": [
        "Die Stadt will die Kosten für die neue Brücke mit den beiden Nachbargemeinden teilen.",
        "Viele Menschen spenden in diesem Jahr weniger, sagte die Sprecherin des Vereins.",
        "Das Foto aus dem Jahr 1962 zeigt den Bürgermeister bei der Eröffnung des Kanals.",
        "Wir wollen die Vereine im Ort jetzt unterstützen, sagte die Bürgermeisterin am Abend.",
        "Die neuesten Zahlen zuerst: Im Mai kamen mehr Gäste als im ganzen Vorjahr.",
    ],
    "fr": [
        "La mairie a décidé de partager les frais de rénovation avec la région voisine.",
        "Le photographe, qui a souhaité rester anonyme, a pris ces images en 2019.",
    ],
    "es": [
        "El ayuntamiento compartirá el coste del nuevo puente con los dos municipios vecinos.",
        "Los comentarios del ministro provocaron una fuerte reacción en el Congreso.",
    ],
    "it": ["Il sindaco ha spiegato che il comune condividerà i costi con la regione."],
    "pt": ["O governo vai partilhar os custos da nova ponte com os dois municípios vizinhos."],
    "nl": ["De gemeente wil de kosten van de nieuwe brug delen met de twee buurgemeenten."],
    "pl": ["Rada miasta postanowiła podzielić się kosztami budowy mostu z sąsiednią gminą."],
    "ru": ["Мэр города сообщил, что расходы на строительство моста разделят две области."],
    "tr": ["Belediye, yeni köprünün maliyetini iki komşu ilçe ile paylaşacağını açıkladı."],
    "cs": [
        "Radnice se o náklady na nový most podělí se dvěma sousedními obcemi, řekl starosta.",
        "Související stavby na druhém břehu řeky začnou až po skončení letní sezony.",
    ],
}


def test_ten_languages_are_loaded_from_data_files() -> None:
    assert REQUIRED_LANGUAGES <= set(LANGUAGES)


def test_every_required_family_exists() -> None:
    assert REQUIRED_FAMILIES <= set(FAMILIES)


@pytest.mark.parametrize(
    ("language", "family", "line"),
    [(lang, fam, line) for lang, fams in CHROME.items() for fam, lines in fams.items()
     for line in lines],
)  # fmt: skip
def test_language_file_claims_its_widget_text(language: str, family: str, line: str) -> None:
    # A photo credit may be claimed by the English "copyright" rule ("Photo: ...") first.
    allowed = {"caption", "copyright"} if family == "caption" else {family}
    assert classify_line(line) in allowed


@pytest.mark.parametrize(
    ("language", "line"), [(lang, line) for lang, lines in PROSE.items() for line in lines]
)
def test_language_rules_leave_prose_alone(language: str, line: str) -> None:
    assert classify_line(line) is None


def test_a_new_language_is_one_data_file() -> None:
    language, families = load_language_file(
        'language = "xx"\n[share]\nmax_words = 5\n'
        "patterns = ['^jaga\\W*$', { pattern = 'jaga tämä', max_words = 8 }]\n"
    )
    assert language == "xx"
    assert [r.max_words for r in families["share"]] == [5, 8]
    assert families["share"][0].pattern.match("Jaga!")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[share]\npatterns = []\n", "missing `language"),
        ("language = 'xx'\n[shares]\npatterns = []\n", "unknown family"),
        ("language = 'xx'\n[share]\npatterns = ['(']\n", "bad pattern"),
        ("language = ", "not valid TOML"),
    ],
)
def test_a_broken_language_file_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(RuleFileError, match=message):
        load_language_file(text, "xx.toml")


def test_known_families_cover_the_language_files() -> None:
    assert REQUIRED_FAMILIES <= set(KNOWN_FAMILIES)


@pytest.mark.parametrize(
    "line",
    ["Ícone seta para direita", "Ícone Facebook", "Icône de partage", "Icono de cierre",
     "Icona Twitter", "Ikona strzałki", "Facebook icon", "Close icon"],
)  # fmt: skip
def test_an_icons_label_on_its_own_line_is_navigation(line: str) -> None:
    assert classify_line(line) == "nav"


@pytest.mark.parametrize(
    "line",
    ["The singer became a fashion icon in the nineties, long before her first film.",
     "O ícone da cidade é a velha ponte de ferro sobre o rio, construída em 1890."],
)  # fmt: skip
def test_prose_about_an_icon_is_not_navigation(line: str) -> None:
    assert classify_line(line) != "nav"


@pytest.mark.parametrize("line", ["Sign up", "Sign up »", "Aanmelden"])
def test_a_sign_up_button_on_its_own_line_is_newsletter_chrome(line: str) -> None:
    assert classify_line(line) == "newsletter"


def test_a_sentence_about_signing_up_is_kept() -> None:
    assert classify_line("Sign up for the evening classes closes on Friday at noon.") is None
