import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const CARD = ".o_kanban_record:contains('Tour-Kooperation Moabit')";
const COLUMN_FIRST_MEETING = ".o_kanban_group:has(.o_column_title:contains('Erstgespräch'))";

registry.category("web_tour.tours").add("kommune_cooperation_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='kommune_interkulturell.menu_kommune_root']",
            content: "Open the Kommune Interkulturell app",
            run: "click",
        },
        {
            trigger: ".dropdown-toggle[data-menu-xmlid='kommune_interkulturell.menu_kommune_cooperation']",
            content: "Open the Cooperations menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='kommune_interkulturell.kommune_cooperation_menu']",
            content: "Open the pipeline",
            run: "click",
        },
        {
            trigger: `.o_kanban_group:has(.o_column_title:contains('Kontakt angebahnt')) ${CARD}`,
            content: "The card is in its stage, in German",
        },
        {
            trigger: `${CARD} .o_kommune_dialogue_overdue`,
            content: "The card is marked: no contact for too long",
        },
        {
            trigger: ".o_kanban_group:has(.o_column_title:contains('Ruhend/Beendet'))",
            content: "Folded and empty stages are columns too",
        },
        {
            trigger: CARD,
            content: "Move the card to the next stage",
            async run({ drag_and_drop }) {
                await drag_and_drop(COLUMN_FIRST_MEETING);
            },
        },
        {
            trigger: `${COLUMN_FIRST_MEETING} ${CARD}`,
            content: "Open the moved card",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Erstgespräch')",
            content: "The form shows the new stage",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='member_ids'] .o_data_row:contains('Tour-MO Moabit e.V.')",
            content: "The members are listed with their organisation",
        },
        {
            trigger: ".o_form_view button[name='action_view_meetings']",
            content: "A smart button leads to the meetings",
        },
        {
            trigger: ".o-mail-Message:contains('Erstgespräch')",
            content: "The stage move is tracked in the chatter",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button:contains('Aktive Kooperation')",
            content: "Move on in the form",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Aktive Kooperation')",
        },
        {
            trigger: ".o-mail-Message:contains('Aktive Kooperation')",
            content: "Tracked as well",
        },
        {
            trigger: ".dropdown-toggle[data-menu-xmlid='kommune_interkulturell.menu_kommune_cooperation']",
            content: "Back to the Cooperations menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='kommune_interkulturell.kommune_cooperation_member_menu_dialogue']",
            content: "Open the Dialogue report",
            run: "click",
        },
        {
            trigger: ".o_pivot_view .o_pivot_header_cell_closed:contains('Mitte'), .o_pivot_view th:contains('Mitte')",
            content: "The pivot lists the district of the cooperation",
        },
        {
            trigger: ".dropdown-toggle[data-menu-xmlid='kommune_interkulturell.menu_kommune_cooperation']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='kommune_interkulturell.calendar_event_menu_cooperation']",
            content: "Open the meetings calendar",
            run: "click",
        },
        {
            trigger: ".o_calendar_view .o_calendar_renderer",
            content: "The calendar of meetings opens",
        },
        {
            trigger: ".dropdown-toggle[data-menu-xmlid='kommune_interkulturell.menu_kommune_cooperation']",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='kommune_interkulturell.kommune_cooperation_menu_report']",
            content: "Open the cooperations by district",
            run: "click",
        },
        {
            trigger: ".o_graph_view .o_graph_renderer canvas",
            content: "The graph of cooperations by stage per district opens",
        },
    ],
});
