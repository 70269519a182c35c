import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// The funder dashboard of a period, in German as the staff use it: the cards show the period's figures, each opens
// what it counts; the participants' pivot is broken down by another answer and shown
// as a graph. Nothing is downloaded.
registry.category("web_tour.tours").add("kommune_funding_period_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='kommune_interkulturell.menu_kommune_root']",
            content: "Open the Kommune Interkulturell app",
            run: "click",
        },
        {
            trigger: ".dropdown-toggle[data-menu-xmlid='kommune_interkulturell.menu_kommune_reporting']",
            content: "Open the Funder Reporting menu",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='kommune_interkulturell.kommune_funding_period_menu']",
            content: "Open the funding periods",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td:contains('Test Periode 2031')",
            content: "Open the period",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_open_participants'] .o_stat_value:contains('3')",
            content: "The participants card shows the period's participants",
        },
        {
            trigger: ".o_form_view button[name='action_open_participants']",
            content: "Open the participants",
            run: "click",
        },
        {
            trigger: ".o_pivot_view .o_pivot tbody th.o_pivot_header_cell_closed:contains('Weiblich')",
            content: "The participants per gender",
        },
        {
            trigger: ".o_pivot_view .o_pivot thead th:contains('2031-Q1')",
            content: "... and per quarter",
        },
        {
            trigger: ".o_pivot_view .o_pivot tbody th.o_pivot_header_cell_opened",
            content: "Fold the rows",
            run: "click",
        },
        {
            trigger: ".o_pivot_view .o_pivot tbody th.o_pivot_header_cell_closed",
            content: "Choose another breakdown",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item.o_menu_item:contains('Altersgruppe')",
            content: "Break the participants down by age group",
            run: "click",
        },
        {
            trigger: ".o_pivot_view .o_pivot tbody th.o_pivot_header_cell_closed:contains('30 bis 54')",
            content: "The participants per age group",
        },
        {
            trigger: ".o_switch_view.o_graph",
            content: "Show them as a graph",
            run: "click",
        },
        {
            trigger: ".o_graph_view .o_graph_renderer canvas",
            content: "The graph is drawn",
        },
        {
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Test Periode 2031')",
            content: "Back to the period",
            run: "click",
        },
        {
            trigger: ".o_form_view button[name='action_open_hours']",
            content: "Open the participant hours",
            run: "click",
        },
        {
            trigger: ".o_graph_view .o_graph_renderer canvas",
            content: "The period's hours per quarter and topic, as a graph",
        },
    ],
});
