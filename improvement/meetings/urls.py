"""Routes of the meetings, answers owed, actions arising and reminders."""

from django.urls import path

from improvement.meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/add/", views.meeting_create, name="meeting_create"),
    path("meetings/bodies/add/", views.body_create, name="body_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/history/", views.meeting_history, name="meeting_history"),
    path(
        "meetings/<int:pk>/agenda/add/",
        views.meeting_additem,
        name="meeting_additem",
    ),
    path(
        "meetings/<int:pk>/decisions/add/",
        views.meeting_adddecision,
        name="meeting_adddecision",
    ),
    path(
        "meetings/<int:pk>/questions/add/",
        views.meeting_addquestion,
        name="meeting_addquestion",
    ),
    path(
        "meetings/<int:pk>/actions-arising/add/",
        views.meeting_addaction,
        name="meeting_addaction",
    ),
    path("answers-owed/", views.question_list, name="question_list"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("actions-arising/", views.actionarising_list, name="actionarising_list"),
    path(
        "actions-arising/<int:pk>/",
        views.actionarising_detail,
        name="actionarising_detail",
    ),
    path(
        "actions-arising/<int:pk>/edit/",
        views.actionarising_edit,
        name="actionarising_edit",
    ),
    path(
        "actions-arising/<int:pk>/update/",
        views.actionarising_update,
        name="actionarising_update",
    ),
    path(
        "actions-arising/<int:pk>/history/",
        views.actionarising_history,
        name="actionarising_history",
    ),
    path("reminders/", views.reminder_choice, name="reminder_choice"),
]
