"""URLs of agreements, added to groups.urls under the `groups` namespace."""

from django.urls import path

from groups.views import agreements as views

GROUP = "groups/<slug:slug>/agreement/"

urlpatterns = [
    path(
        "orgs/<slug:slug>/agreement-templates/",
        views.AgreementTemplateListView.as_view(),
        name="agreement_templates",
    ),
    path(
        "orgs/<slug:slug>/agreement-templates/<str:kind>/",
        views.AgreementTemplateEditView.as_view(),
        name="agreement_template_edit",
    ),
    path(GROUP, views.AgreementSignView.as_view(), name="agreement_sign"),
    path(f"{GROUP}versions/", views.AgreementVersionListView.as_view(), name="agreement_versions"),
    path(
        f"{GROUP}versions/<int:number>/",
        views.AgreementVersionDetailView.as_view(),
        name="agreement_version",
    ),
    path(
        f"{GROUP}signed/<int:number>/",
        views.SignedAgreementView.as_view(),
        name="agreement_signed",
    ),
    path(f"{GROUP}propose/", views.AgreementProposeView.as_view(), name="agreement_propose"),
    path(f"{GROUP}manage/", views.AgreementManageView.as_view(), name="agreement_manage"),
    path(f"{GROUP}publish/", views.AgreementPublishView.as_view(), name="agreement_publish"),
    path(f"{GROUP}adopt/", views.AgreementAdoptView.as_view(), name="agreement_adopt"),
    path(
        f"{GROUP}proposals/<int:pk>/",
        views.AgreementProposalDecideView.as_view(),
        name="agreement_proposal_decide",
    ),
    path(
        f"{GROUP}signatures/",
        views.AgreementSignaturesView.as_view(),
        name="agreement_signatures",
    ),
]
