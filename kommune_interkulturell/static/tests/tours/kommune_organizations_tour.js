import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("kommune_organizations_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='kommune_interkulturell.menu_kommune_root']",
            content: "Open the Kommune Interkulturell app",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour MO Brückenschlag e.V.')",
            content: "The migrant organisations kanban lists the organisation",
        },
        {
            trigger: ".o_breadcrumb:contains('Migrant*innenorganisationen')",
            content: "The menu speaks German",
        },
        {
            trigger: ".o_searchview_input",
            content: "Search by district",
            run: "edit Pankow",
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:contains('Hauptbezirk')",
            run: "click",
        },
        {
            trigger: ".o_kanban_record:contains('Tour MO Brückenschlag e.V.')",
            content: "Open the organisation",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook a[name='kommune_interkulturell']",
            content: "The form has the network page",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='district_id']:contains('Pankow'), .o_form_view .o_field_widget[name='district_id'] input:value('Pankow')",
            content: "The network page shows the main district",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='founding_year'] input",
            content: "Edit the founding year",
            run: "edit 2011",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
            content: "Saved",
        },
    ],
});
