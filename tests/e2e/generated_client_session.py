"""A client generated from the served OpenAPI document, used as a client developer would.

Run by tests/e2e/test_generated_client.py: `python generated_client_session.py BASE_URL`, with the
generated package on PYTHONPATH. Exits non-zero on the first surprise.

The login operation is documented with its two body forms (form and JSON); openapi-python-client
0.29 generates that module without importing `Unset`, so the session logs in through the
generated client's own httpx client and reads the answer with the generated `TokenRead`.
"""

import sys

from todo_api_client import AuthenticatedClient, Client
from todo_api_client.api.auth import api_v1_auth_register_register
from todo_api_client.api.tags import api_v1_tags_create
from todo_api_client.api.tasks import (
    api_v1_tasks_create,
    api_v1_tasks_listing,
    api_v1_tasks_task_id_amend,
    api_v1_tasks_task_id_show,
)
from todo_api_client.models import (
    ApiV1TasksListingStatus,
    ErrorBody,
    RegisterRequest,
    TagWrite,
    TaskPatchBody,
    TaskWrite,
    TokenRead,
)

base_url = sys.argv[1]
anonymous = Client(base_url=base_url)
registered = api_v1_auth_register_register.sync_detailed(
    client=anonymous,
    body=RegisterRequest(email="gen@example.com", password="correct horse battery"),
)
assert registered.status_code == 201, registered.content
answer = anonymous.get_httpx_client().post(
    "/api/v1/auth/login", json={"email": "gen@example.com", "password": "correct horse battery"}
)
assert answer.status_code == 200, answer.text
tokens = TokenRead.from_dict(answer.json())
client = AuthenticatedClient(base_url=base_url, token=tokens.access_token)

tag = api_v1_tags_create.sync(client=client, body=TagWrite(name="work", color="#3366FF"))
assert tag is not None and not isinstance(tag, ErrorBody), tag
task = api_v1_tasks_create.sync(
    client=client,
    body=TaskWrite(
        title="Generated", due_date="2026-12-01T09:00:00Z",
        recurrence_rule="FREQ=WEEKLY;COUNT=2", tag_ids=[tag.id],
    ),
)  # fmt: skip
assert task is not None and not isinstance(task, ErrorBody), task
done = api_v1_tasks_task_id_amend.sync(
    task_id=task.id, client=client, body=TaskPatchBody(completed=True)
)
assert done is not None and not isinstance(done, ErrorBody) and done.completed, done
page = api_v1_tasks_listing.sync(
    client=client, status=ApiV1TasksListingStatus.PENDING, tag="work", limit=50
)
assert page is not None and not isinstance(page, ErrorBody), page
assert [t.title for t in page.items] == ["Generated"] and page.total == 1, page
missing = api_v1_tasks_task_id_show.sync(task_id=2_000_000_000, client=client)
assert isinstance(missing, ErrorBody) and missing.code == "TASK_NOT_FOUND", missing
print("generated client session: ok")
