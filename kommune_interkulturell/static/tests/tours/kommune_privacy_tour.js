import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const PERSON = "Tour Inaktive Person";

registry.category("web_tour.tours").add("kommune_privacy_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='kommune_interkulturell.menu_kommune_root']",
            content: "Open the Kommune Interkulturell app",
            run: "click",
        },
        {
            trigger: "button[data-menu-xmlid='kommune_interkulturell.menu_kommune_privacy']",
            content: "Open the Data Protection menu (German: Datenschutz)",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='kommune_interkulturell.kommune_retention_rule_menu']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour-Regel'):contains('Entwurf') td[name='name']",
            content: "The rule is a draft",
            run: "click",
        },
        {
            trigger: ".o_form_view .alert-info:contains('löscht sie niemanden')",
            content: "The form says that a draft erases nobody",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_approve']))",
            content: "No approval before the preview",
        },
        {
            trigger: ".o_form_view button[name='action_preview']",
            content: "Look at who the rule would erase",
            run: "click",
        },
        {
            trigger: `.o_list_view .o_data_row:contains('${PERSON}') td[name='name']`,
            content: "The inactive person is due; open them",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook_headers a:contains('Datenschutz')",
            content: "The person's data protection page",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='kommune_consent_ids'] .o_data_row:contains('Einladungen und Newsletter') button[name='action_withdraw']",
            content: "Withdraw the invitation consent in one click",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='kommune_consent_ids'] .o_data_row:contains('Einladungen und Newsletter'):contains('Widerrufen'):not(:has(button[name='action_withdraw']))",
            content: "The consent is withdrawn and stays listed",
        },
        {
            trigger: ".o_form_view .o_cp_action_menus i.fa-cog",
            content: "The actions of the contact",
            run: "click",
        },
        {
            trigger: ".dropdown-item:contains('Datenauskunft (Art. 15 DSGVO)')",
            content: "Subject access",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='summary'] li:contains('Einwilligungen: 1')",
            content: "The dialog sums up what is held",
        },
        {
            trigger: ".modal .modal-footer button:contains('Schließen')",
            run: "click",
        },
        {
            trigger: ".breadcrumb-item a:contains('Tour-Regel')",
            content: "Back to the rule",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_approve']",
            content: "Approve it after the preview",
            run: "click",
        },
        {
            trigger: ".modal .modal-footer .btn-primary",
            content: "Confirm the irreversible consequence",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Freigegeben')",
            content: "The rule is approved",
        },
    ],
});
