"""Menus, footers and promo banners go through the same review as pages: editors
submit them to the "Communications review" workflow (0004), moderators approve and
publish them (the snippets are WorkflowMixin models; cms.snippets)."""

from django.db import migrations

WORKFLOW_NAME = "Communications review"
CHROME = ("navigationmenu", "footercontent", "promobanner")


def workflow_assign(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        return
    for model in CHROME:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="cms", model=model
        )
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )


def workflow_unassign(apps, schema_editor):
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowContentType.objects.filter(
        content_type__app_label="cms", content_type__model__in=CHROME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0008_editors_media_review")]

    operations = [migrations.RunPython(workflow_assign, workflow_unassign)]
