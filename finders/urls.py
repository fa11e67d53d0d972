from finders import views
from peersupport.routes import routes

app_name = "finders"
urlpatterns = routes([("meeting-guide.json", views.FeedView, "feed")]) + routes(
    [
        ("meeting-guide.json", views.OrganisationFeedView, "organisation_feed"),
        ("finder/", views.EmbedView, "embed"),
        ("finders/", views.ManageView, "manage"),
        ("finders/<int:pk>/remove/", views.SourceRemoveView, "source_remove"),
    ],
    prefix="orgs/<slug:slug>/",
)
