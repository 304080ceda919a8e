"""Review before publishing: communications moderators approve what editors submit.

One workflow with one group-approval task (the moderators), assigned to the root of the
page tree so it covers both home pages (Vietnamese and English) and everything under
them. It replaces Wagtail's default "Moderators approval" workflow there. The groups and
their page, collection and admin permissions come from shop.roles (shop migrations);
editors may add and change pages but not publish, moderators may also publish."""

from django.db import migrations

from shop.roles import COMMUNICATIONS_EDITORS, COMMUNICATIONS_MODERATORS

WORKFLOW_NAME = "Communications review"
TASK_NAME = "Communications moderators approval"


def workflow_create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    Group.objects.get_or_create(name=COMMUNICATIONS_EDITORS)
    moderators, _ = Group.objects.get_or_create(name=COMMUNICATIONS_MODERATORS)
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.set([moderators])
    workflow, _ = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def workflow_remove(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).delete()
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    GroupApprovalTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_table_block"),
        ("shop", "0001_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(workflow_create, workflow_remove)]
