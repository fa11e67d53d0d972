from django.urls import path

from groups.views import directory, manage, organisations

app_name = "groups"
urlpatterns = [
    # --- directory, landing pages, organisations (issue 4, part 1) --------------------
    path("groups/", directory.DirectoryView.as_view(), name="directory"),
    path("groups/<slug:slug>/", directory.GroupDetailView.as_view(), name="detail"),
    path("groups/<slug:slug>/edit/", manage.GroupUpdateView.as_view(), name="edit"),
    path("organise/", organisations.OrganiseView.as_view(), name="organise"),
    path("orgs/new/", organisations.OrganisationCreateView.as_view(), name="organisation_create"),
    path(
        "orgs/<slug:slug>/",
        organisations.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "orgs/<slug:slug>/edit/",
        organisations.OrganisationUpdateView.as_view(),
        name="organisation_edit",
    ),
    path("orgs/<slug:slug>/groups/new/", manage.GroupCreateView.as_view(), name="group_create"),
    path(
        "orgs/<slug:slug>/people/",
        organisations.OrganisationPeopleView.as_view(),
        name="organisation_people",
    ),
    path(
        "orgs/<slug:slug>/people/organizers/",
        organisations.OrganizerAddView.as_view(),
        name="organizer_add",
    ),
    path(
        "orgs/<slug:slug>/people/organizers/<int:pk>/remove/",
        organisations.OrganizerRemoveView.as_view(),
        name="organizer_remove",
    ),
    path(
        "orgs/<slug:slug>/people/facilitators/",
        organisations.FacilitatorAddView.as_view(),
        name="facilitator_add",
    ),
    path(
        "orgs/<slug:slug>/people/facilitators/<int:pk>/remove/",
        organisations.FacilitatorRemoveView.as_view(),
        name="facilitator_remove",
    ),
    path("orgs/<slug:slug>/partners/", organisations.PartnerListView.as_view(), name="partners"),
    path(
        "orgs/<slug:slug>/partners/<int:pk>/remove/",
        organisations.PartnerRemoveView.as_view(),
        name="partner_remove",
    ),
]

# --- agreements (issue 5) -------------------------------------------------------------
from groups.urls_agreements import urlpatterns as agreement_urlpatterns  # noqa: E402

urlpatterns += agreement_urlpatterns
