"""Routes of the meetings, answers owed, actions arising and reminders."""

from django.urls import path

from improvement.meetings.views import follow_up, meetings

app_name = "meetings"

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/add/", meetings.meeting_create, name="meeting_create"),
    path("meetings/bodies/add/", meetings.body_create, name="body_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:pk>/history/", meetings.meeting_history, name="meeting_history"
    ),
    path(
        "meetings/<int:pk>/agenda/add/",
        meetings.meeting_additem,
        name="meeting_additem",
    ),
    path(
        "meetings/<int:pk>/decisions/add/",
        meetings.meeting_adddecision,
        name="meeting_adddecision",
    ),
    path(
        "meetings/<int:pk>/questions/add/",
        meetings.meeting_addquestion,
        name="meeting_addquestion",
    ),
    path(
        "meetings/<int:pk>/actions-arising/add/",
        meetings.meeting_addaction,
        name="meeting_addaction",
    ),
    path("answers-owed/", follow_up.question_list, name="question_list"),
    path(
        "questions/<int:pk>/answer/", follow_up.question_answer, name="question_answer"
    ),
    path("actions-arising/", follow_up.actionarising_list, name="actionarising_list"),
    path(
        "actions-arising/<int:pk>/",
        follow_up.actionarising_detail,
        name="actionarising_detail",
    ),
    path(
        "actions-arising/<int:pk>/edit/",
        follow_up.actionarising_edit,
        name="actionarising_edit",
    ),
    path(
        "actions-arising/<int:pk>/update/",
        follow_up.actionarising_update,
        name="actionarising_update",
    ),
    path(
        "actions-arising/<int:pk>/history/",
        follow_up.actionarising_history,
        name="actionarising_history",
    ),
    path("reminders/", follow_up.reminder_choice, name="reminder_choice"),
]
