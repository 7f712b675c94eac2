"""The public column as a reader sees it: home, listings, items of every kind, search, feeds, QR codes,
share links, Open Graph, sitemap, widget — each on its own commune's site only, light and script-free."""

from __future__ import annotations

import gzip
import io
import re
import xml.etree.ElementTree as ET

import pytest
import segno
from django.test import Client
from PIL import Image as PILImage
from wagtail.rich_text import RichText

from lantoa.column.models import (
    Audience,
    DocumentPage,
    InfographicPage,
    PodcastEpisodePage,
    Topic,
    VideoPage,
)

from .conftest import add_article, make_image, make_media

pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


def site_client(commune) -> Client:
    return Client(HTTP_HOST=commune.site.hostname)


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def rich_article(column_a, commune_a):
    image = make_image(commune_a, "Ảnh hội nghị", (1600, 900))
    body = [
        ("heading", {"text": "Tổ công nghệ số ở từng thôn", "level": "h2"}),
        ("paragraph", RichText("<p>Bà con thôn Nà Pài học <b>kỹ năng số</b> mỗi tối thứ Ba.</p>")),
        (
            "image",
            {
                "image": {"image": image, "decorative": False, "alt_text": "Lớp học kỹ năng số"},
                "caption": "Lớp học buổi tối",
                "credit": "Ảnh: TTDVTH",
            },
        ),
        (
            "facts",
            {
                "title": "Con số",
                "figures": [{"value": "70%", "label": "người dân tiếp cận năm 2030"}],
                "source": "Kế hoạch 2026",
            },
        ),
        ("quote", {"text": "Học số không khó.", "attribution": "Bác Bình"}),
        ("embed", {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Video hướng dẫn"}),
    ]
    page = add_article(column_a, "Nghị quyết 57 về với bản làng", body=body, cover_image=image, publish=False)
    page.topics.set([Topic.objects.get(commune=commune_a, slug="chuyen-doi-so")])
    page.audiences.set([Audience.objects.get(commune=commune_a, slug="nong-dan")])
    page.save_revision().publish()
    return page


def test_article_page_shows_every_block_without_script_and_is_light(rich_article, commune_a):
    response = site_client(commune_a).get(rich_article.url)
    html = text(response)
    assert response.status_code == 200
    assert "<h2>Tổ công nghệ số ở từng thôn</h2>" in html
    assert "<b>kỹ năng số</b>" in html
    assert 'alt="Lớp học kỹ năng số"' in html and "Lớp học buổi tối" in html
    assert '<aside class="facts"' in html and "70%" in html
    assert "<blockquote>" in html and "Bác Bình" in html
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html
    # Responsive renditions: WebP with a JPEG fallback, several widths.
    assert 'type="image/webp"' in html and re.search(r"format-jpeg\.width-800", html)
    assert re.search(r"srcset=\"[^\"]+ 400w, [^\"]+ 800w", html)
    # No script to read; light enough for a cheap phone on 3G (the embed's iframe is media, not our page).
    assert "<script" not in html
    assert len(response.content) < 60 * 1024 and len(gzip.compress(response.content)) < 15 * 1024
    # Open Graph, feeds and the GET search form with field q.
    assert '<meta property="og:type" content="article">' in html and 'property="og:image"' in html
    for feed in ("/column/rss.xml", "/column/atom.xml", "/column/podcast.xml"):
        assert 'rel="alternate" type="application/' in html and f'href="{feed}"' in html
    assert re.search(r'<form class="search" action="[^"]+tim-kiem/" method="get"', html) and 'name="q"' in html
    # Share links and the QR codes.
    assert "facebook.com/sharer/sharer.php?u=http" in html and "button-share.zalo.me/share_external" in html
    assert f"{rich_article.url.split('://', 1)[-1].split('/', 1)[-1]}qr/svg/".lstrip("/") in html
    assert "@media print" in html


def test_every_kind_renders_with_its_media(column_a, commune_a):
    image = make_image(commune_a, "Infographic", (1080, 3000))
    info = InfographicPage(
        title="Infographic: định danh điện tử",
        summary="Các bước kích hoạt.",
        image=image,
        text_alternative="<p>Bước 1: cài ứng dụng.</p>",
    )
    column_a.add_child(instance=info)
    info.save_revision().publish()
    audio = make_media(commune_a, "audio", "Podcast số 1")
    episode = PodcastEpisodePage(
        title="Podcast: thanh toán số",
        summary="Nghe về thanh toán số.",
        audio=audio,
        episode_number=1,
        show_notes="<p>Ghi chú tập 1.</p>",
    )
    column_a.add_child(instance=episode)
    episode.save_revision().publish()
    pdf = make_media(commune_a, "pdf", "Sổ tay")
    handbook = DocumentPage(title="Sổ tay chuyển đổi số", summary="Sổ tay cho bà con.", document=pdf)
    column_a.add_child(instance=handbook)
    handbook.save_revision().publish()
    video = VideoPage(title="Video: học kỹ năng số", summary="Video ngắn.", video_url="https://youtu.be/dQw4w9WgXcQ")
    column_a.add_child(instance=video)
    video.save_revision().publish()

    client = site_client(commune_a)
    html = text(client.get(info.url))
    assert f'href="{image.file.url}"' in html and "download" in html and "Bước 1: cài ứng dụng." in html
    html = text(client.get(episode.url))
    assert f'<source src="{audio.file.url}" type="audio/mpeg">' in html and audio.duration_seconds >= 2
    html = text(client.get(handbook.url))
    assert f'href="{pdf.file.url}" download' in html
    # The PDF can be read in the page: a picture of each page, made from the file itself.
    pages = re.findall(r'<img src="(/media/column/pdf-pages/[^"]+\.webp)"', html)
    assert len(pages) == pdf.page_count == 2
    from django.conf import settings

    with PILImage.open(settings.MEDIA_ROOT + pages[0][len(settings.MEDIA_URL) - 1 :]) as picture:
        assert picture.width == 900
    html = text(client.get(video.url))
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in html


def test_video_needs_a_file_or_a_link(column_a):
    from django.core.exceptions import ValidationError

    video = VideoPage(title="Video trống", summary="Không có gì.")
    with pytest.raises(ValidationError):
        column_a.add_child(instance=video)
    video = VideoPage(title="Video lạ", summary="Link lạ.", video_url="https://example.com/video.mp4")
    with pytest.raises(ValidationError):
        column_a.add_child(instance=video)


def test_column_home_lists_latest_by_topic_by_audience_by_kind(column_a, commune_a, rich_article):
    other = add_article(column_a, "Chợ phiên quét mã QR")
    client = site_client(commune_a)
    html = text(client.get(column_a.url))
    assert html.index("Chợ phiên quét mã QR") < html.index("Nghị quyết 57 về với bản làng")  # newest first
    assert "chu-de/chuyen-doi-so/" in html and "doi-tuong/nong-dan/" in html
    topic = text(client.get(column_a.url + "chu-de/chuyen-doi-so/"))
    assert "Nghị quyết 57 về với bản làng" in topic and "Chợ phiên quét mã QR" not in topic
    audience = text(client.get(column_a.url + "doi-tuong/nong-dan/"))
    assert "Nghị quyết 57 về với bản làng" in audience and "Chợ phiên quét mã QR" not in audience
    assert client.get(column_a.url + "chu-de/khong-co/").status_code == 404
    kind = text(client.get(column_a.url + "loai/article/"))
    assert "Chợ phiên quét mã QR" in kind
    assert client.get(column_a.url + "loai/khac/").status_code == 404
    del other


def test_search_ignores_tone_marks_and_case(column_a, commune_a, rich_article):
    draft = add_article(column_a, "Nghị quyết 57: bản nháp chưa duyệt", publish=False)
    client = site_client(commune_a)
    search = column_a.url + "tim-kiem/"
    html = text(client.get(search, {"q": "nghi quyet 57"}))
    assert "Nghị quyết 57 về với bản làng" in html and draft.title not in html and '<ul class="cards">' in html
    assert "Nghị quyết 57 về với bản làng" in text(client.get(search, {"q": "KỸ NANG SO"}))  # body text, mixed marks
    assert "Nghị quyết 57 về với bản làng" in text(client.get(search, {"q": "bac binh"}))  # quote attribution
    nothing = text(client.get(search, {"q": "tuyet doi khong co"}))
    assert "0 kết quả cho “tuyet doi khong co”." in nothing
    assert '<ul class="cards">' not in nothing and "Nghị quyết 57 về với bản làng" not in nothing


def test_each_site_shows_only_its_own_communes_column(column_a, column_b, commune_a, commune_b, rich_article):
    b_item = add_article(column_b, "Bài riêng của xã B", summary="Chỉ xã B.")
    a_client, b_client = site_client(commune_a), site_client(commune_b)
    assert "Bài riêng của xã B" not in text(a_client.get(column_a.url))
    assert "Bài riêng của xã B" not in text(a_client.get(column_a.url + "tim-kiem/", {"q": "bai rieng"}))
    assert "Bài riêng của xã B" not in text(a_client.get("/column/rss.xml"))
    assert "Bài riêng của xã B" in text(b_client.get("/column/rss.xml"))
    assert "Nghị quyết 57 về với bản làng" not in text(b_client.get("/column/rss.xml"))
    assert a_client.get(b_item.url.split(commune_b.site.hostname, 1)[-1]).status_code == 404
    sitemap = text(a_client.get("/sitemap.xml"))
    assert rich_article.slug in sitemap and b_item.slug not in sitemap


def test_rss_and_atom_feeds_validate(column_a, commune_a, rich_article):
    client = site_client(commune_a)
    response = client.get("/column/rss.xml")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    for tag in ("title", "link", "description", "language"):
        assert channel.findtext(tag), tag
    item = channel.find("item")
    assert item.findtext("title") == rich_article.title and item.findtext("link").startswith("http")
    assert item.findtext("guid") and item.findtext("pubDate") and item.findtext("description")
    atom = ET.fromstring(client.get("/column/atom.xml").content)
    ns = "{http://www.w3.org/2005/Atom}"
    assert atom.tag == f"{ns}feed" and atom.find(f"{ns}entry/{ns}title").text == rich_article.title
    assert atom.find(f"{ns}updated") is not None and atom.find(f"{ns}entry/{ns}id").text


def test_podcast_feed_has_what_podcast_apps_require(column_a, commune_a):
    column_a.podcast_image = make_image(commune_a, "Bìa podcast", (1500, 1500))
    column_a.podcast_email = "ttdvth@example.vn"
    column_a.save_revision().publish()
    audio = make_media(commune_a, "audio", "Tập 1")
    episode = PodcastEpisodePage(
        title="Tập 1: chữ ký số",
        summary="Chữ ký số cho hộ kinh doanh.",
        audio=audio,
        episode_number=1,
        show_notes="<p>Ghi chú <b>tập 1</b>.</p>",
    )
    column_a.add_child(instance=episode)
    episode.save_revision().publish()
    add_article(column_a, "Bài viết không phải podcast")
    client = site_client(commune_a)
    response = client.get("/column/podcast.xml")
    root = ET.fromstring(response.content)
    channel = root.find("channel")
    assert root.get("version") == "2.0"
    for tag in ("title", "link", "description", "language"):
        assert channel.findtext(tag), tag
    assert channel.findtext("language") == "vi"
    image = channel.find(f"{ITUNES}image").get("href")
    assert image.startswith("http") and image.endswith(".jpg")
    assert channel.find(f"{ITUNES}category").get("text") == "Government"
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    assert (
        channel.findtext(f"{ITUNES}author") and channel.findtext(f"{ITUNES}owner/{ITUNES}email") == "ttdvth@example.vn"
    )
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Tập 1: chữ ký số"]
    enclosure = items[0].find("enclosure")
    assert enclosure.get("type") == "audio/mpeg" and enclosure.get("url").startswith("http")
    assert int(enclosure.get("length")) == len(open(audio.file.path, "rb").read())
    assert int(items[0].findtext(f"{ITUNES}duration")) == audio.duration_seconds >= 2
    assert items[0].findtext("guid") and items[0].findtext("pubDate")
    # The cover is square and at least 1400 px, as directories require.
    rendition_path = image.split("/media/", 1)[1]
    from django.conf import settings

    with PILImage.open(f"{settings.MEDIA_ROOT}/{rendition_path}") as cover:
        assert cover.size == (1400, 1400)


def test_qr_codes_point_at_the_item(column_a, commune_a, rich_article):
    client = site_client(commune_a)
    png = client.get(rich_article.url + "qr/")
    assert png["Content-Type"] == "image/png" and "ma-qr-" in png["Content-Disposition"]
    expected = io.BytesIO()
    segno.make(rich_article.get_full_url(), error="m").save(expected, kind="png", scale=12, border=4)
    assert png.content == expected.getvalue()
    with PILImage.open(io.BytesIO(png.content)) as img:
        assert img.width >= 300
    svg = client.get(rich_article.url + "qr/svg/")
    assert svg["Content-Type"] == "image/svg+xml"
    assert ET.fromstring(svg.content).tag.endswith("svg")


def test_widget_is_one_script_tag_and_a_frameable_list(column_a, commune_a, rich_article):
    client = site_client(commune_a)
    script = client.get("/column/widget.js")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/column/widget/" in text(script) and 'document.createElement("iframe")' in text(script)
    widget = client.get("/column/widget/")
    assert widget.status_code == 200 and "X-Frame-Options" not in widget
    # The site's policy, with any portal allowed to frame the widget (tests/test_security.py checks the rest).
    assert "frame-ancestors *" in [d.strip() for d in widget["Content-Security-Policy"].split(";")]
    assert rich_article.title in text(widget) and '<base target="_blank">' in text(widget)
    # Every other page refuses to be framed.
    assert client.get(column_a.url)["X-Frame-Options"] == "SAMEORIGIN"


def test_public_pages_are_vietnamese_whatever_the_browser_asks(column_a, commune_a, rich_article):
    client = Client(HTTP_HOST=commune_a.site.hostname, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    for url in (column_a.url, rich_article.url, "/column/gop-y/"):
        response = client.get(url)
        assert "Tìm kiếm" in text(response) and response["Content-Language"] == "vi", url
