"""Taking a course: lessons marked done, quiz attempts with a deadline kept by the server, completion."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.reach import services as reach
from lantoa.tenancy import certificates
from lantoa.tenancy.models import Certificate, Commune, Staff
from lantoa.tenancy.names import full_name
from lantoa.tenancy.services import require_commune_perm

from .. import engine
from ..models import Course, CourseCompletion, Lesson, LessonDone, QuizAttempt

TAKE = "learning.view_course"


@dataclass(frozen=True)
class Progress:
    lessons: int
    done: int
    attempts: int
    attempts_left: int
    passed: bool
    completion: CourseCompletion | None
    open_attempt: QuizAttempt | None

    @property
    def lessons_finished(self) -> bool:
        return self.done >= self.lessons


def _check_course(user, course: Course) -> None:
    require_commune_perm(user, TAKE, course.commune_id)
    if not course.published:
        raise ValidationError(_("This course is not open yet."))


def progress(user, course: Course) -> Progress:
    attempts = list(QuizAttempt.objects.filter(course=course, user=user))
    now = timezone.now()
    open_attempt = next((a for a in attempts if a.submitted_at is None and a.deadline >= now), None)
    return Progress(
        lessons=course.lessons.count(),
        done=LessonDone.objects.filter(user=user, lesson__course=course).count(),
        attempts=len(attempts),
        attempts_left=max(0, course.max_attempts - len(attempts)),
        passed=any(a.passed for a in attempts),
        completion=CourseCompletion.objects.filter(course=course, user=user).first(),
        open_attempt=open_attempt,
    )


@transaction.atomic
def mark_lesson_done(user, lesson: Lesson) -> LessonDone:
    _check_course(user, lesson.course)
    done, _created = LessonDone.objects.get_or_create(lesson=lesson, user=user, defaults={"commune": lesson.commune})
    _complete_if_finished(user, lesson.course)
    return done


def _close_expired(attempts, now) -> None:
    for attempt in attempts:
        if attempt.submitted_at is None and attempt.deadline < now:
            attempt.expired, attempt.submitted_at, attempt.score, attempt.passed = True, attempt.deadline, 0, False
            attempt.save(update_fields=["expired", "submitted_at", "score", "passed"])


@transaction.atomic
def start_attempt(user, course: Course, rng: random.Random | None = None) -> QuizAttempt:
    """The attempt running now, or a new one: its questions and answers drawn and shuffled, its deadline set."""
    _check_course(user, course)
    Course.objects.select_for_update().filter(pk=course.pk).first()  # one attempt started at a time per course
    now = timezone.now()
    attempts = list(QuizAttempt.objects.filter(course=course, user=user).order_by("number"))
    _close_expired(attempts, now)
    running = next((a for a in attempts if a.submitted_at is None), None)
    if running is not None:
        return running
    if any(a.passed for a in attempts):
        raise ValidationError(_("You have already passed this quiz."))
    if len(attempts) >= course.max_attempts:
        raise ValidationError(
            _("You have used all %(n)s attempts at this quiz. Ask the focal point to contact the course's editor.")
            % {"n": course.max_attempts}
        )
    questions = list(course.questions.all())
    if not questions:
        raise ValidationError(_("This course has no questions yet."))
    return QuizAttempt.objects.create(
        commune_id=course.commune_id,
        course=course,
        user=user,
        number=len(attempts) + 1,
        started_at=now,
        deadline=now + timedelta(minutes=course.time_limit_minutes),
        layout=engine.draw(questions, course.questions_per_attempt, rng),
        total=min(len(questions), course.questions_per_attempt),
    )


@transaction.atomic
def submit_attempt(user, attempt: QuizAttempt, data) -> QuizAttempt:
    """Score the answers sent. After the deadline (started_at + time limit, on the server's clock) the answers
    are refused: the attempt ends as failed, with ``expired`` set."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.user_id != user.pk:
        raise PermissionDenied(_("This attempt is someone else's."))
    _check_course(user, attempt.course)
    if attempt.submitted_at is not None:
        raise ValidationError(_("This attempt has already been handed in."))
    now = timezone.now()
    if now > attempt.deadline:
        _close_expired([attempt], now)
        return attempt
    by_id = {q.pk: q for q in attempt.course.questions.filter(pk__in=[r["q"] for r in attempt.layout])}
    attempt.answers = engine.answers_from(data, attempt.layout)
    attempt.score, attempt.total = engine.score(attempt.layout, attempt.answers, by_id)
    attempt.passed = attempt.score * 100 >= attempt.course.pass_mark * attempt.total
    attempt.submitted_at = now
    attempt.save()
    if attempt.passed:
        _complete_if_finished(user, attempt.course)
    return attempt


def sync_training_course(course: Course) -> None:
    """Keep the course's reach.TrainingCourse in line with its title and the commune's rule (in depth or not)."""
    commune = Commune.objects.get(pk=course.commune_id)
    created = timezone.localdate(course.created_at) if course.created_at else timezone.localdate()
    training = reach.record_training_course(
        commune_id=course.commune_id,
        title=course.title,
        organiser=commune.name,
        start_date=created,
        in_depth=course.in_depth,
        course=course.training_course,
    )
    if course.training_course_id != training.pk:
        Course.objects.filter(pk=course.pk).update(training_course=training)
        course.training_course = training


def _complete_if_finished(user, course: Course) -> CourseCompletion | None:
    """Every lesson done and the quiz passed: the completion, its certificate, and the training reach counts."""
    state = progress(user, course)
    if state.completion is not None or not (state.lessons_finished and state.passed):
        return state.completion
    today = timezone.localdate()
    staff = Staff.objects.filter(commune_id=course.commune_id, user=user).first()
    completion = CourseCompletion.objects.create(
        commune_id=course.commune_id, course=course, user=user, staff=staff, completed_on=today
    )
    commune = Commune.objects.get(pk=course.commune_id)
    certificate = certificates.issue(
        user,
        commune,
        holder=staff.full_name if staff else full_name(user),
        title=course.title,
        kind=Certificate.Kind.COURSE,
        issued_on=today,
        detail=_("Completed the course and passed its quiz"),
        subject=completion,
    )
    completion.certificate = certificate
    if staff is not None:
        sync_training_course(course)
        completion.training_completion = reach.record_training_completion(
            course=course.training_course, staff=staff, completed_on=today, certificate=certificate.code
        )
    completion.save()
    return completion
