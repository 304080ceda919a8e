import pytest
from django.core import mail

from cms import services
from cms.models import FormPageSubmission
from tests.cms import pages

pytestmark = pytest.mark.django_db

ENQUIRY = {
    "name": "Nguyễn Văn An",
    "email": "an@example.com",
    "message": "Tôi muốn mua 200 hộp chè cho công ty.",
}


@pytest.fixture
def form(home_pages):
    return pages.form_page(pages.home("vi"))


def test_form_page_stores_the_submission_and_emails_it(
    client, form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.url, ENQUIRY)

    assert response.status_code == 200
    assert "cms-form-thanks" in response.content.decode()
    submission = FormPageSubmission.objects.get(page=form)
    assert submission.get_data()["message"] == ENQUIRY["message"]
    assert submission.emailed_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sales@ocop.example"]
    assert email.subject == "Wholesale enquiry"
    assert "Message: Tôi muốn mua 200 hộp chè cho công ty." in email.body
    assert email.reply_to == ["an@example.com"]


def test_the_email_is_sent_once_however_often_the_task_runs(
    client, form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form.url, ENQUIRY)
    submission = FormPageSubmission.objects.get(page=form)

    assert services.form_submission_email_send(submission_id=submission.pk) is False
    assert len(mail.outbox) == 1


def test_an_invalid_submission_is_neither_stored_nor_emailed(
    client, form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.url, {**ENQUIRY, "email": "not-an-address"})

    assert response.status_code == 200
    assert not FormPageSubmission.objects.exists()
    assert mail.outbox == []
