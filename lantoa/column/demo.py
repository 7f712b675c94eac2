"""The column of the demo commune: a dozen items of every kind (articles, infographics, videos,
podcast episodes, handbooks and slides), published over the past months, with their pictures, sound,
video and PDFs generated here; one item waiting for review, one sent back with a comment, one
scheduled; readers' questions with published answers; share packages in the outbox.

``load(commune)`` is called by tenancy's ``load_demo``; running it again changes nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import WorkflowPage
from wagtail.rich_text import RichText

from lantoa.plans.models import Task
from lantoa.reach.models import ScienceTask
from lantoa.tenancy.models import Commune, Unit

from . import demo_media as media
from .demo_content import FEEDBACK, SUBJECTS
from .models import (
    ArticlePage,
    Audience,
    ColumnItemPage,
    DocumentPage,
    Feedback,
    InfographicPage,
    MediaFile,
    PodcastEpisodePage,
    Topic,
    VideoPage,
)
from .services import ensure_column


def _anchor():
    """The demo's "now": 16:00 yesterday, Vietnam time — so a demo loaded at night holds the same items, at the same
    times, as one loaded in the morning, and no date it prints lies in the future."""
    yesterday = timezone.localdate() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(yesterday, time(16)))


logger = logging.getLogger("lantoa.column.demo")


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _image(commune: Commune, title: str, data: bytes, name: str):
    return get_image_model().objects.create(
        title=title, file=ContentFile(data, name=name), collection=commune.collection
    )


def _media(commune: Commune, title: str, data: bytes, name: str) -> MediaFile:
    item = MediaFile(commune=commune, title=title)
    item.file.save(name, ContentFile(data), save=False)
    item.full_clean()
    item.save()
    return item


def _plan_tasks(commune: Commune) -> dict:
    """The plan's tasks 1.1 (the column) and 2.2 (digital products per audience), when the plan is loaded."""
    return {
        t.code.rstrip("."): t for t in Task.objects.filter(commune=commune, code__in=["1.1", "2.2", "1.1.", "2.2."])
    }


def _science_tasks(commune: Commune) -> list:
    return list(ScienceTask.objects.filter(commune=commune, state_secret=False)[:3])


def _publish(page: ColumnItemPage, when, user) -> None:
    page.first_published_at = when
    page.save_revision(user=user, log_action=True).publish(user=user)


@transaction.atomic
def load(commune: Commune) -> None:
    home = ensure_column(commune)
    if ColumnItemPage.objects.child_of(home).exists():
        return
    editor, reviewer, leader = _user("bientap"), _user("pvhcc"), _user("lanhdao")
    topics = {t.slug: t for t in Topic.objects.filter(commune=commune)}
    audiences = {a.slug: a for a in Audience.objects.filter(commune=commune)}
    units = {u.kind: u for u in Unit.objects.filter(commune=commune).order_by("-pk")}
    culture = Unit.objects.filter(commune=commune, name__icontains="Văn hóa").first()
    writer_unit = units.get(Unit.Kind.SERVICE_CENTRE)
    tasks = _plan_tasks(commune)
    science = _science_tasks(commune)

    cover_podcast = _image(
        commune,
        "Ảnh bìa podcast Nghị quyết 57",
        media.podcast_cover("Podcast Nghị quyết 57 — Xã Nam Cường"),
        "podcast.jpg",
    )
    home.podcast_image = cover_podcast
    home.podcast_email = "ttdvth@namcuong.example.vn"
    home.save_revision(user=leader).publish(user=leader)

    now = _anchor()
    first_article = None
    for i, s in enumerate(SUBJECTS):
        base = now - timedelta(days=(len(SUBJECTS) - i) * 14 + 2)
        cover = _image(commune, f"Ảnh bìa — {s['short']}", media.cover(s["title"], i), f"bia-{i + 1}.jpg")
        common = {
            "cover_image": cover,
            "unit": writer_unit,
            "owner": editor,
        }

        def link(page, task_code, s=s, i=i):
            page.topics.set([topics[t] for t in s["topics"] if t in topics])
            page.audiences.set([audiences[a] for a in s["audiences"] if a in audiences])
            if task_code in tasks:
                page.plan_task = tasks[task_code]
            if science and s["topics"][0] in {"khoa-hoc-cong-nghe", "doi-moi-sang-tao"}:
                page.science_tasks.set([science[i % len(science)]])

        # Article.
        body = [
            ("paragraph", RichText(f"<p>{s['paras'][0]}</p>")),
            (
                "facts",
                {
                    "title": "Những con số",
                    "figures": [{"value": v, "label": lab} for v, lab in s["facts"]],
                    "source": "Kế hoạch của UBND xã Nam Cường năm 2026",
                },
            ),
            ("heading", {"text": "Ở Nam Cường", "level": "h2"}),
            ("paragraph", RichText(f"<p>{s['paras'][1]}</p>")),
            ("quote", {"text": s["quote"][0], "attribution": s["quote"][1]}),
            ("paragraph", RichText(f"<p>{s['paras'][2]}</p>")),
        ]
        article = ArticlePage(
            title=s["title"], summary=s["summary"], body=body, byline="Trung tâm dịch vụ tổng hợp", **common
        )
        link(article, "1.1")
        home.add_child(instance=article)
        _publish(article, base, leader)
        first_article = first_article or article

        # Infographic.
        picture = _image(
            commune,
            f"Infographic — {s['short']}",
            media.infographic(s["short"], s["facts"], s["steps"], i),
            f"infographic-{i + 1}.png",
        )
        steps = "".join(f"<li>{step}</li>" for step in s["steps"])
        figures = "".join(f"<li><b>{v}</b>: {lab}</li>" for v, lab in s["facts"])
        info = InfographicPage(
            title=f"Infographic: {s['short']}",
            summary=s["summary"],
            image=picture,
            text_alternative=f"<p>{s['summary']}</p><ul>{figures}</ul><ol>{steps}</ol>",
            **{**common, "unit": culture or writer_unit},
        )
        link(info, "2.2")
        home.add_child(instance=info)
        _publish(info, base + timedelta(days=2), leader)

        # Video: the slides over the spoken summary.
        speech = media.speech_wav(f"{s['short']}. {s['summary']}")
        slides = [
            media.text_slide(s["short"], [s["summary"][:120]], i),
            media.text_slide("Những con số", [f"{v}: {lab}" for v, lab in s["facts"]], i),
            media.text_slide("Làm thế nào?", s["steps"], i),
        ]
        video_file = _media(commune, f"Video — {s['short']}", media.slideshow_mp4(slides, speech), f"video-{i + 1}.mp4")
        video = VideoPage(
            title=f"Video: {s['short']}",
            summary=s["summary"],
            video=video_file,
            poster=cover,
            transcript=f"{s['short']}. {s['summary']}",
            **{**common, "unit": culture or writer_unit},
        )
        link(video, "2.2")
        home.add_child(instance=video)
        _publish(video, base + timedelta(days=4), leader)

        # Podcast episode: the article read aloud.
        spoken = f"Podcast Nghị quyết 57, số {i + 1}. {s['title']}. " + " ".join(s["paras"])
        audio = _media(
            commune, f"Podcast số {i + 1}", media.wav_to_mp3(media.speech_wav(spoken)), f"podcast-{i + 1}.mp3"
        )
        notes = "".join(f"<p>{p}</p>" for p in s["paras"])
        episode = PodcastEpisodePage(
            title=f"Podcast số {i + 1}: {s['short']}",
            summary=s["summary"],
            audio=audio,
            episode_number=i + 1,
            show_notes=notes,
            transcript=spoken,
            **common,
        )
        link(episode, "2.2")
        home.add_child(instance=episode)
        _publish(episode, base + timedelta(days=6), leader)

        # Handbook or slides (PDF).
        slides_deck = s["doc"].startswith("Slide")
        pdf_file = _media(commune, s["doc"], media.pdf(s["doc"], s, slides=slides_deck), f"tai-lieu-{i + 1}.pdf")
        doc = DocumentPage(
            title=s["doc"],
            summary=s["summary"],
            document=pdf_file,
            doc_kind=DocumentPage.DocKind.SLIDES if slides_deck else DocumentPage.DocKind.HANDBOOK,
            description=f"<p>{s['paras'][0]}</p>",
            **{**common, "unit": culture or writer_unit},
        )
        link(doc, "2.2")
        home.add_child(instance=doc)
        _publish(doc, base + timedelta(days=8), leader)

    _editorial_states(home, commune, editor, reviewer, leader, writer_unit)
    _feedback(commune, first_article, writer_unit, reviewer)


def _editorial_states(home, commune, editor, reviewer, leader, unit) -> None:
    """One item waiting for the unit head's review, one sent back with a comment, one scheduled."""
    workflow = WorkflowPage.objects.get(page=home).workflow
    s = SUBJECTS[0]
    drafts = [
        ("Xã Nam Cường ra mắt chuyên mục Nghị quyết 57 trên trang thông tin điện tử", "review"),
        ("Bản tin tuần: những việc đã làm cho chuyển đổi số ở các thôn", "rejected"),
        ("Lịch trải nghiệm dịch vụ công trực tuyến tại nhà văn hóa các thôn tháng tới", "scheduled"),
    ]
    for title, state in drafts:
        page = ArticlePage(
            title=title,
            summary=s["summary"],
            owner=editor,
            unit=unit,
            body=[("paragraph", RichText(f"<p>{s['paras'][0]}</p>"))],
            live=False,
        )
        home.add_child(instance=page)
        revision = page.save_revision(user=editor)
        if state == "scheduled":
            page.go_live_at = _anchor() + timedelta(days=6)
            page.save_revision(user=leader).publish(user=leader)
            continue
        if editor is None:
            continue
        workflow_state = workflow.start(page, editor)
        if state == "rejected" and reviewer is not None:
            task_state = workflow_state.current_task_state
            task_state.task.specific.on_action(
                task_state,
                reviewer,
                "reject",
                comment="Cần bổ sung số liệu của từng thôn và ảnh minh họa trước khi trình lãnh đạo duyệt.",
            )
        del revision


def _feedback(commune, page, unit, answerer) -> None:
    now = _anchor()
    for n, (kind, body, answer) in enumerate(FEEDBACK):
        Feedback.objects.create(
            commune=commune,
            page=page,
            kind=kind,
            body=body,
            unit=unit,
            status=Feedback.Status.ANSWERED,
            answer=answer,
            publish_answer=True,
            answered_by=answerer,
            answered_at=now - timedelta(days=n),
        )
    Feedback.objects.create(
        commune=commune,
        page=page,
        kind=Feedback.Kind.QUESTION,
        unit=unit,
        body="Thôn Khau Cà khi nào có lớp học kỹ năng số buổi tối?",
        name="Một người dân",
    )
    Feedback.objects.create(
        commune=commune,
        page=None,
        kind=Feedback.Kind.COMMENT,
        unit=unit,
        body="Đề nghị chuyên mục có thêm video bằng tiếng dân tộc Tày.",
    )
