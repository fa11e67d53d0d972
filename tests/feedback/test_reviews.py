import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import services
from feedback.models import GoalReview, GoalReviewReceipt, GoalReviewResponse
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def _objectives(world):
    world.group.objectives = "Share coping strategies\nMeet every week"
    world.group.save(update_fields=["objectives"])


def test_review_opens_on_schedule_and_invites_active_members_once(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    _objectives(world)
    today = timezone.localdate()
    services.review_schedule_set(group=world.group, every_months=3, next_on=today, active=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reviews_open_due() == 1
        assert services.reviews_open_due() == 0
    review = GoalReview.objects.get()
    assert review.objectives == ["Share coping strategies", "Meet every week"]
    messages = smtp_sink.wait_for(2)  # the member and the facilitator; not on_break/pending
    recipients = sorted(str(m["To"]) for m in messages)
    assert recipients == ["facilitator@world.test", "member@world.test"]
    assert reverse("feedback:review_answer", args=[review.pk]) in _body(messages[0])
    assert "Harbour" not in str(messages[0]["Subject"])


def test_review_schedule_default_is_quarterly(client_for, world):
    page = client_for(world.users["facilitator"]).get(
        reverse("feedback:review_schedule", args=[world.group.slug])
    )
    assert page.context["form"].initial["every_months"] == 3


def _review(world, *, opened_days_ago: int = 0):
    opened = timezone.localdate() - datetime.timedelta(days=opened_days_ago)
    return GoalReview.objects.create(
        group=world.group,
        opened_on=opened,
        closes_on=opened + datetime.timedelta(days=21),
        objectives=["Share coping strategies", "Meet every week"],
    )


def _answer(**overrides):
    data = {
        "objectives_count": 2,
        "objective_0": "yes",
        "objective_1": "change",
        "discussions": 4,
        "activities": 3,
        "what_to_change": "More time to talk",
    }
    data.update(overrides)
    return data


def test_review_answer_is_anonymous_and_once(client_for, world):
    review = _review(world)
    client = client_for(world.users["member"])
    url = reverse("feedback:review_answer", args=[review.pk])
    client.post(url, _answer())
    again = client.post(url, _answer(), follow=True)
    assert "already answered" in again.content.decode()
    assert not GoalReviewResponse.objects.exists()  # held until the review closes
    assert services.review_release(review_id=review.pk) == 1
    saved = GoalReviewResponse.objects.get()
    assert saved.verdicts == ["yes", "change"]
    assert GoalReviewReceipt.objects.count() == 1
    assert {f.name for f in GoalReviewResponse._meta.concrete_fields} == {
        "id",
        "review",
        "verdicts",
        "discussions",
        "activities",
        "what_to_change",
    }


def test_review_answer_tampered_count_or_bad_verdict_is_refused(client_for, world):
    review = _review(world)
    client = client_for(world.users["member"])
    url = reverse("feedback:review_answer", args=[review.pk])
    stale = client.post(url, _answer(objectives_count=3)).content.decode()
    assert "objectives changed" in stale
    client.post(url, _answer(objective_0="maybe", discussions=9))
    assert services.review_release(review_id=review.pk) == 0
    assert not GoalReviewResponse.objects.exists()


def test_review_results_hidden_under_five_answers_and_until_the_review_closes(client_for, world):
    def answered_by(n: int, change: str, days_ago: int):
        review = _review(world, opened_days_ago=days_ago)
        for i in range(n):
            services.review_submit(
                review=review,
                member=MembershipFactory(group=world.group).user,
                verdicts=["yes", "no"],
                discussions=4,
                activities=4,
                what_to_change=change if i == 0 else "",
            )
        return review

    url = reverse("feedback:review_schedule", args=[world.group.slug])
    facilitator = client_for(world.users["facilitator"])
    few = answered_by(4, "Longer rounds", 1)
    services.review_release(review_id=few.pk)
    assert "Not enough responses yet" in facilitator.get(url).content.decode()
    enough = answered_by(5, "Shorter rounds", 0)
    page = facilitator.get(url).content.decode()
    assert "Results appear once this review has closed" in page
    assert "Shorter rounds" not in page
    # Beat releases it the day after it closes.
    closes = enough.closes_on
    assert services.review_release_due(today=closes) == 0
    assert services.review_release_due(today=closes + datetime.timedelta(days=1)) == 5
    page = facilitator.get(url).content.decode()
    assert "5 answers" in page and "Shorter rounds" in page
    assert "Longer rounds" not in page


def test_facilitator_sends_the_review_now_and_a_member_answers_it_end_to_end(
    client_for, world, smtp_sink, django_capture_on_commit_callbacks
):
    import re

    from tests.support import form_as_rendered

    _objectives(world)
    facilitator = client_for(world.users["facilitator"])
    schedule_url = reverse("feedback:review_schedule", args=[world.group.slug])
    assert "Send the review now" in facilitator.get(schedule_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = facilitator.post(
            reverse("feedback:review_send", args=[world.group.slug]), follow=True
        )
    assert "The review is sent" in page.content.decode()
    smtp_sink.wait_for(2)
    [mail] = smtp_sink.to(world.users["member"].email)
    link = re.search(r"https?://\S+/feedback/reviews/\d+/", _body(mail)).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    # The member follows the email's link, answers every question as the form offers it.
    member = client_for(world.users["member"])
    form_page = member.get("/" + path).content.decode()
    assert "Share coping strategies" in form_page
    fields = form_as_rendered(form_page, containing="objectives_count")
    fields.update({"objective_0": "yes", "objective_1": "change"})
    fields.update({"discussions": "4", "activities": "5", "what_to_change": "Longer breaks"})
    done = member.post("/" + path, fields, follow=True).content.decode()
    assert "Thank you" in done
    # Held until the round closes, then written with everyone else's.
    assert not GoalReviewResponse.objects.exists()
    review = GoalReview.objects.get()
    assert services.review_release(review_id=review.pk) == 1
    assert GoalReviewResponse.objects.get().verdicts == ["yes", "change"]
    # A second "send now" while the round is open is refused with a message.
    facilitator = client_for(world.users["facilitator"])
    again = facilitator.post(reverse("feedback:review_send", args=[world.group.slug]), follow=True)
    assert "A review is already open until" in again.content.decode()
    assert GoalReview.objects.count() == 1


def test_send_review_now_without_objectives_says_what_to_do(client_for, world):
    world.group.objectives = ""
    world.group.save(update_fields=["objectives"])
    page = client_for(world.users["facilitator"]).post(
        reverse("feedback:review_send", args=[world.group.slug]), follow=True
    )
    assert "Write the group&#x27;s objectives first" in page.content.decode()
    assert not GoalReview.objects.exists()
