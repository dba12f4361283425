"""Page chrome that small sites print around an article, as the snippet sets of issue 15
find it: a blurb standing alone at the end of the body, after a few lines that are no
prose. Pages written for these tests (not taken from any page)."""

from __future__ import annotations

import pytest

from cleaning.rules import classify_line
from cleaning.text import clean_text
from tests.text_pages import FOOTBRIDGE_STORY

ARTICLE = [
    *FOOTBRIDGE_STORY,
    "The council's leader said the footbridge had been the most common subject of letters "
    "to the council for two years running, and thanked the residents who had kept asking "
    "for it to be mended.",
]
BIO = (
    "Jane Miller has written about the towns and villages of the valley for twenty "
    "years and lives in a cottage by the river."
)


def _page(*tail: str) -> str:
    return "\n".join(["Local news", "Footbridge at the old mill to be rebuilt", *ARTICLE, *tail])


def test_a_lone_blurb_after_a_run_of_widget_lines_ends_outside_the_body() -> None:
    result = clean_text(_page("Author", "Jane Miller", "Recent posts", BIO))
    for paragraph in ARTICLE:
        assert paragraph in result.paragraphs
    assert BIO not in result.paragraphs


def test_a_closing_paragraph_after_a_single_subhead_stays() -> None:
    result = clean_text(_page("What happens next", BIO))
    assert BIO in result.paragraphs


def test_a_closing_paragraph_after_a_caption_box_stays() -> None:
    closing = (
        "The temporary crossing will open at the end of March, and the old bridge will "
        "then be taken down."
    )
    caption = ["Legend:", "The old footbridge over the river, seen from the weir", "Photo: AFP"]
    result = clean_text(_page(*caption, closing))
    assert closing in result.paragraphs


def test_a_closing_paragraph_a_link_broke_into_pieces_stays() -> None:
    # each piece a block of its own, as a get_text dump prints the links of a sentence
    pieces = [
        "\nThe plans are on show at",
        "\nTown Hall",
        "\nand can be read online at",
        "\nCouncil Plans\n",
    ]
    closing = "Objections may be sent in writing until the end of next month, the council said."
    result = clean_text(_page(*pieces, closing))
    assert closing in result.paragraphs


# A blog's and a small site's widgets, in the ten languages of the rule files: the
# rating widget, a "learn more" button, a pager's lone word or two, the bare heading
# over a tag list and a blog's search box (nav); the comment form's heading, its title
# and its follow-up and spam notes (comment-chrome); the notice that the thread closes
# after some days (comment-policy); a blog's follow-by-e-mail box (newsletter); the
# heading over a box of links (related); the heading of the author box (bio); the ask
# to share the article or mail the page (share).
WIDGET_LINES = {
    "nav": [
        "Rate this article", "(No ratings yet)", "Mehr erfahren", "Artikel bewerten",
        "(Noch keine Bewertungen)", "Vorheriges", "Quellen ausblenden", "En savoir plus",
        "Infórmate más", "Scopri di più", "Beoordeel dit artikel", "Dowiedz się więcej",
        "Avalie este artigo", "Подробнее", "Devamını oku",
        # the bare heading over a post's tag list
        "Tags", "Schlagworte", "Markiert mit", "Étiquettes", "Etiquetas", "Etichette",
        "Trefwoorden", "Tagi", "Marcadores", "Метки", "Etiketler",
        # a blog's search box
        "Search this blog", "Dieses Blog durchsuchen", "Rechercher dans ce blog",
        "Buscar este blog", "Cerca nel blog", "Zoeken in deze blog", "Szukaj na tym blogu",
        "Pesquisar este blog", "Поиск по этому блогу", "Bu blogda ara",
        # a pager's two words on one line
        "« Previous Next »", "Vorheriges Weiter", "Précédent Suivant", "Anterior Siguiente",
        "Precedente Successivo", "Vorige Volgende", "Poprzedni Następny", "Anterior Próximo",
        "Назад Вперёд", "Önceki Sonraki",
    ],
    "comment-chrome": [
        "Learn how your comment data is processed.", "Schreibe einen Kommentar",
        "Diese Website verwendet Akismet, um Spam zu reduzieren.",
        "Benachrichtige mich über nachfolgende Kommentare.", "Laisser un commentaire",
        "Deja un comentario", "Lascia un commento", "Laat een reactie achter",
        "Dodaj komentarz", "Deixe um comentário", "Уведомлять меня о новых записях почтой.",
        "Bir yorum yazın",
        # the title of the comment form, asking what the reader thinks
        "What do you think?", "Was denkst du?", "Qu'en pensez-vous ?", "¿Qué opinas?",
        "Cosa ne pensi?", "Wat denk je?", "Co myślisz?", "O que você acha?",
        "Что вы думаете?", "Ne düşünüyorsun?",
    ],
    "comment-policy": [
        # the notice that the thread closes some days after the article is out
        "Comments will be closed after 30 days.",
        "Die Kommentarfunktion wird zwei Tage nach der Veröffentlichung geschlossen.",
        "Les commentaires seront fermés après sept jours.",
        "Los comentarios se cerrarán después de una semana.",
        "I commenti saranno chiusi dopo 14 giorni.",
        "Reacties worden na drie dagen gesloten.",
        "Komentarze zostaną zamknięte po tygodniu.",
        "Os comentários serão fechados após sete dias.",
        "Комментарии будут закрыты через неделю.",
        "Yorumlar yedi gün sonra kapatılır.",
    ],
    "newsletter": [
        # a blog's follow-by-e-mail box
        "Enter your email address to follow this blog and receive notifications of new posts "
        "by email.",
        "Um neue Beiträge per E-Mail zu erhalten, hier die E-Mail-Adresse eingeben.",
        "Saisissez votre adresse e-mail pour recevoir les nouveaux articles par e-mail.",
        "Recibe las nuevas entradas por correo electrónico.",
        "Ricevi i nuovi articoli via e-mail.",
        "Ontvang nieuwe berichten per e-mail.",
        "Otrzymuj powiadomienia o nowych wpisach przez e-mail.",
        "Receba as novas publicações por e-mail.",
        "Получайте уведомления о новых записях по электронной почте.",
        "Yeni yazıları e-posta ile al.",
    ],
    "related": [
        # the heading over a box of links to other pages
        "Useful links", "Weiterführende Links", "Liens utiles", "Enlaces de interés",
        "Link utili", "Nuttige links", "Przydatne linki", "Links úteis", "Полезные ссылки",
        "Faydalı linkler",
    ],
    "bio": [
        # the heading of the author box under the article
        "Author", "AUTOR", "Über den Autor", "À propos de l'auteur", "Sobre el autor",
        "L'autore", "Over de auteur", "O autorze", "Sobre o autor", "Об авторе",
        "Yazar hakkında",
    ],
    "share": [
        # the ask to download the site's apps (plural)
        "For the latest stories download the Newstown apps for iOS and Android.",
        "Download de Nieuwsdorp apps voor je telefoon.",
        "Would you like to share this article?", "Möchten Sie den Artikel teilen?",
        "Den Artikel mit anderen teilen:", "Empfiehl dies deinen Freunden.",
        "Partagez cet article", "Comparte este artículo", "Condividi questo articolo",
        "Deel dit artikel", "Udostępnij artykuł", "Compartilhe este artigo",
        "Поделиться статьей", "Bu haberi paylaş",
    ],
}  # fmt: skip
SAME_WORDS_IN_PROSE = [
    "Tags on the old bridge were painted over by volunteers from the rowing club.",
    "Was denkst du über den neuen Fahrplan, fragte der Bürgermeister die Pendler am Bahnhof?",
    "Mehr erfahren wollten die Eltern erst nach der Sitzung des Gemeinderats am Montag.",
    "Schreibe einen Kommentar zu jedem Bild, bat die Lehrerin ihre Klasse am ersten Tag.",
    "Deel dit artikel niet zonder de bron te noemen, vroeg de redactie haar lezers.",
    "Condividi questo articolo con chi abita lungo il fiume, ha detto il sindaco ieri sera.",
]


@pytest.mark.parametrize(
    ("family", "line"),
    [(family, line) for family, lines in WIDGET_LINES.items() for line in lines],
    ids=lambda value: value,
)
def test_a_small_sites_widget_line_is_chrome_in_the_ten_languages(family: str, line: str) -> None:
    assert classify_line(line) == family


@pytest.mark.parametrize("sentence", SAME_WORDS_IN_PROSE)
def test_a_sentence_that_opens_with_a_widgets_words_stays(sentence: str) -> None:
    assert classify_line(sentence) is None


def test_a_credit_naming_the_agency_by_its_web_address_is_a_caption() -> None:
    credit = "TomBerg/Shutterstock.com"
    page = "\n".join(["Local news", *ARTICLE[:3], "Pumps at the old mill at dusk.", credit,
                      *ARTICLE[3:]])  # fmt: skip
    result = clean_text(page)
    assert credit not in result.paragraphs
    assert ARTICLE[3] in result.paragraphs
