"""The one decoder (cleaning.decoding): BOM, agreeing declarations, UTF-8 over stale
legacy declarations, detection among the web's legacy encodings."""

from __future__ import annotations

import pytest

from cleaning.decoding import declared_encoding, decode_html

GERMAN = (
    "Die Bürgerinnen und Bürger der Stadt äußerten sich über die Größe des neuen Straßenbahn"
    "netzes. Schöne Grüße aus Köln, München und Düsseldorf: Die Verkehrsbetriebe prüfen nun "
    "die Vorschläge für die künftige Fahrplangestaltung im Süden der Stadt."
)
RUSSIAN = (
    "Городской совет обсудил строительство новой линии трамвая. Жители районов высказали "
    "свои пожелания относительно маршрутов, остановок и расписания движения транспорта."
)
CHINESE = (
    "市政府今天宣布，新的地铁线路将于明年年底开通。居民们对这一消息表示欢迎，"
    "并希望政府继续改善城市公共交通系统，减少交通拥堵，提高出行效率。"
)
JAPANESE = (
    "市議会は本日、新しい路面電車の路線について議論しました。住民の皆さんからは、"
    "停留所の位置や運行時刻表についてさまざまな意見が寄せられました。"
)


def page(text: str, meta: str = "") -> str:
    head = f'<meta charset="{meta}">' if meta else ""
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_valid_utf8_wins_over_a_stale_latin1_meta() -> None:
    decoded = decode_html(page(GERMAN, "iso-8859-1").encode("utf-8"))
    assert decoded is not None
    assert GERMAN in decoded.text
    assert (decoded.encoding, decoded.source) == ("utf-8", "utf-8")


def test_valid_utf8_wins_over_a_stale_gb2312_meta_and_header() -> None:
    body = page(CHINESE, "gb2312").encode("utf-8")
    decoded = decode_html(body, "text/html; charset=gb2312")
    assert decoded is not None
    assert CHINESE in decoded.text
    assert decoded.encoding == "utf-8"


def test_undeclared_cp1252_german_is_detected_not_replaced() -> None:
    decoded = decode_html(page(GERMAN).encode("cp1252"))
    assert decoded is not None
    assert GERMAN in decoded.text
    assert "\ufffd" not in decoded.text
    assert decoded.source == "detected"


def test_undeclared_latin1_german_is_detected() -> None:
    decoded = decode_html(page(GERMAN).encode("latin-1"), "text/html")
    assert decoded is not None
    assert GERMAN in decoded.text


def test_declared_cp1251_russian_follows_the_declaration() -> None:
    decoded = decode_html(page(RUSSIAN, "windows-1251").encode("cp1251"))
    assert decoded is not None
    assert RUSSIAN in decoded.text
    assert (decoded.encoding, decoded.source) == ("cp1251", "declared")


def test_undeclared_cp1251_russian_is_detected() -> None:
    decoded = decode_html(page(RUSSIAN * 3).encode("cp1251"))
    assert decoded is not None
    assert RUSSIAN in decoded.text


@pytest.mark.parametrize("label", ["gbk", "gb2312", ""])
def test_gbk_chinese_declared_or_not(label: str) -> None:
    decoded = decode_html(page(CHINESE * 2, label).encode("gbk"))
    assert decoded is not None
    assert CHINESE in decoded.text


@pytest.mark.parametrize("label", ["shift_jis", ""])
def test_shift_jis_japanese_declared_or_not(label: str) -> None:
    decoded = decode_html(page(JAPANESE * 2, label).encode("shift_jis"))
    assert decoded is not None
    assert JAPANESE in decoded.text


def test_bom_wins_over_a_lying_http_header() -> None:
    body = b"\xef\xbb\xbf" + page(GERMAN).encode("utf-8")
    decoded = decode_html(body, "text/html; charset=iso-8859-1")
    assert decoded is not None
    assert (decoded.encoding, decoded.source) == ("utf-8", "bom")
    assert decoded.text.startswith("<html>")  # the BOM itself is not text
    assert GERMAN in decoded.text


def test_utf16_bom_is_followed() -> None:
    decoded = decode_html(page(RUSSIAN, "utf-8").encode("utf-16"), "text/html; charset=utf-8")
    assert decoded is not None
    assert RUSSIAN in decoded.text


def test_a_few_invalid_bytes_in_good_utf8_are_replaced_not_redecoded() -> None:
    good = page(GERMAN * 20, "utf-8").encode("utf-8")
    damaged = good[:400] + b"\xff" + good[400:900] + b"\xc3" + good[900:]
    decoded = decode_html(damaged, "text/html; charset=utf-8")
    assert decoded is not None
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == 2
    assert "Bürgerinnen" in decoded.text  # not read as cp1252 mojibake (BÃ¼rgerinnen)


def test_cp1252_bytes_under_a_false_utf8_header_are_detected() -> None:
    decoded = decode_html(page(GERMAN * 3).encode("cp1252"), "text/html; charset=utf-8")
    assert decoded is not None
    assert GERMAN in decoded.text
    assert decoded.source == "detected"


def test_pure_ascii_needs_no_guessing() -> None:
    decoded = decode_html(page("plain words only", "shift_jis").encode("ascii"))
    assert decoded is not None
    assert decoded.source == "ascii"


def test_random_binary_is_undecodable() -> None:
    noise = bytes((i * 7919 + 13) % 256 for i in range(20_000))
    assert decode_html(noise) is None


def test_declared_encoding_maps_labels_like_browsers() -> None:
    assert declared_encoding(b"<meta charset='latin-1'>") == "cp1252"
    assert declared_encoding(b"", "text/html; charset=gb2312") == "gb18030"
    assert declared_encoding(b"<meta charset='no-such-codec'>") is None
