import { registry } from "@web/core/registry";

// An organisation's contact person reads their organisation's self-checks and opens one.
registry.category("web_tour.tours").add("kommune_portal_checks_tour", {
    url: "/my",
    steps: () => [
        {
            trigger: "a[href='/my/kommune/organization']",
            content: "Open My organisation from the home page",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_checks .o_kommune_portal_goal:contains('Portal Zweite Person')",
            content: "The development plan is shown",
        },
        {
            trigger: ".o_kommune_portal_check:last .o_kommune_portal_check_link",
            content: "Open the first self-check",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_check_detail .o_kommune_portal_goal:contains('Portal Zweite Person')",
            content: "The goal agreed after it is shown beside its scores",
        },
    ],
});
