from peersupport.routes import routes
from space.views import board, moderation

app_name = "space"
urlpatterns = routes(
    [
        ("", board.BoardView, "board"),
        ("new/", board.ThreadStartView, "thread_new"),
        ("care/", board.CareView, "care"),
        ("me/", board.ParticipantSettingsView, "participant"),
        ("<int:pk>/", board.ThreadView, "thread"),
        ("<int:pk>/reply/", board.ReplyView, "reply"),
        ("<int:pk>/settings/", moderation.ThreadModerateView, "thread_moderate"),
        ("posts/<int:pk>/edit/", board.PostEditView, "post_edit"),
        ("posts/<int:pk>/delete/", board.PostDeleteView, "post_delete"),
        ("posts/<int:pk>/report/", board.PostReportView, "post_report"),
        ("posts/<int:pk>/review/", moderation.PostReviewView, "post_review"),
        ("posts/<int:pk>/suspend/", moderation.SuspendView, "suspend"),
        ("posts/<int:pk>/author/", moderation.AuthorLookupView, "author_lookup"),
        ("moderation/", moderation.ModerationView, "moderation"),
        ("moderation/settings/", moderation.GroupSpaceSettingsView, "group_settings"),
        ("suspensions/<int:pk>/lift/", moderation.UnsuspendView, "unsuspend"),
    ],
    prefix="groups/<slug:slug>/space/",
) + routes(
    [("orgs/<slug:slug>/space/watched-words/", moderation.WatchedWordsView, "watched_words")]
)
