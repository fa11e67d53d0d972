"""URLs of agreements, added to groups.urls under the `groups` namespace."""

from groups.views import agreements as views
from peersupport.routes import routes

GROUP = "groups/<slug:slug>/agreement/"

urlpatterns = routes(
    [
        (
            "orgs/<slug:slug>/agreement-templates/",
            views.AgreementTemplateListView,
            "agreement_templates",
        ),
        (
            "orgs/<slug:slug>/agreement-templates/<str:kind>/",
            views.AgreementTemplateEditView,
            "agreement_template_edit",
        ),
        (GROUP, views.AgreementSignView, "agreement_sign"),
        (GROUP + "versions/", views.AgreementVersionListView, "agreement_versions"),
        (GROUP + "versions/<int:number>/", views.AgreementVersionDetailView, "agreement_version"),
        (GROUP + "signed/<int:number>/", views.SignedAgreementView, "agreement_signed"),
        (GROUP + "propose/", views.AgreementProposeView, "agreement_propose"),
        (GROUP + "manage/", views.AgreementManageView, "agreement_manage"),
        (GROUP + "publish/", views.AgreementPublishView, "agreement_publish"),
        (GROUP + "adopt/", views.AgreementAdoptView, "agreement_adopt"),
        (
            GROUP + "proposals/<int:pk>/",
            views.AgreementProposalDecideView,
            "agreement_proposal_decide",
        ),
        (GROUP + "signatures/", views.AgreementSignaturesView, "agreement_signatures"),
    ]
)
