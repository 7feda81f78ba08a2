"""Field labels people read: distinct within a model, and a count never labelled as a time.

One English word can be a count and a timestamp ("created: 600" against "created: 09:30"); the
Chinese needs two words (创建数, 创建时间), so such fields carry a ``pgettext`` context.
"""

import re

import pytest
from django.apps import apps
from django.utils import translation

from syncjobs.models import SyncBatch, SyncRecord, SyncRun

LANGUAGES = ("zh-hans", "en")
COUNT_NAME = re.compile(r"(_count|_done|_total)$|^(claims|attempts)$")
READS_AS_TIME = re.compile(r"时间|日期|时刻|\b(time|date|timestamp)\b", re.IGNORECASE)


def labelled_fields(model):
    """The fields of ``model`` a form, list or export shows with a label (no reverse relations)."""
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete or (field.many_to_many and not field.auto_created)
    ]


def models():
    return list(apps.get_app_config("syncjobs").get_models())


def count_fields(model):
    return [field for field in labelled_fields(model) if COUNT_NAME.search(field.name)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_two_fields_of_one_model_share_a_label(language):
    shared = []
    with translation.override(language):
        for model in models():
            seen = {}
            for field in labelled_fields(model):
                label = str(field.verbose_name).casefold()
                if label in seen:
                    shared.append((model.__name__, seen[label], field.name, label))
                seen[label] = field.name
    assert shared == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_count_field_is_labelled_as_a_time(language):
    with translation.override(language):
        as_time = [
            (model.__name__, field.name, str(field.verbose_name))
            for model in models()
            for field in count_fields(model)
            if READS_AS_TIME.search(str(field.verbose_name))
        ]
    assert as_time == []


def test_the_run_counts_are_among_the_fields_checked():
    names = {field.name for field in count_fields(SyncRun)} | {
        field.name for field in count_fields(SyncBatch)
    }
    assert {"created_count", "updated_count", "failed_count", "record_count", "claims"} <= names


def test_a_run_s_counts_and_a_record_s_timestamps_read_differently_in_chinese():
    with translation.override("zh-hans"):
        counts = [
            str(SyncRun._meta.get_field(name).verbose_name) for name in ("created_count", "updated_count")
        ]
        times = [str(SyncRecord._meta.get_field(n).verbose_name) for n in ("created_at", "updated_at")]
    assert counts == ["创建数", "更新数"]
    assert times == ["创建时间", "更新时间"]
