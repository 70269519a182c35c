import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("kommune_training_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='kommune_interkulturell.menu_kommune_root']",
            content: "Open the Kommune Interkulturell app",
            run: "click",
        },
        {
            trigger: "button[data-menu-xmlid='kommune_interkulturell.menu_kommune_training']",
            content: "Open the Trainings menu (German: Schulungen)",
            run: "click",
        },
        {
            trigger: "a[data-menu-xmlid='kommune_interkulturell.kommune_training_menu']",
            run: "click",
        },
        {
            trigger: ".o_kanban_view .o_kanban_group.o_column_folded:contains('Abgesagt')",
            content: "Every stage is a column; the cancelled one is folded",
        },
        {
            trigger: ".o_kanban_group:contains('Anmeldung offen') .o_kanban_record:contains('Tour Schulung Fördermittel'):contains('Neukölln')",
            content: "The card shows the training in its stage with its district",
        },
        {
            trigger: ".o_kanban_record:contains('Tour Schulung Fördermittel') .o_progressbar",
            content: "Seats taken of total as a progress bar",
        },
        {
            trigger: ".o_kanban_record:contains('Tour Schulung Fördermittel')",
            content: "Open the training",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook a:contains('Termine')",
            content: "The form lists the sessions",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='session_ids'] .o_data_row",
        },
        {
            trigger: ".o_form_view button[name='action_open_registrations']:contains('Anmeldungen')",
            content: "Open the registrations from the smart button",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Teilnehmerin'):contains('Angemeldet')",
            content: "The registration is listed",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Teilnehmerin') button[name='action_confirm']",
            content: "Confirm the seat",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tour Teilnehmerin'):contains('Bestätigt')",
            content: "Confirmed",
        },
    ],
});
