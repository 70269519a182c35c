import { registry } from "@web/core/registry";

// An organisation's contact person: their organisation's page, a task marked done, a
// proposal to the profile.
registry.category("web_tour.tours").add("kommune_portal_contact_tour", {
    url: "/my",
    steps: () => [
        {
            trigger: "a[href='/my/kommune/organization']",
            content: "Open My organisation from the home page",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_cooperation:contains('Portal Kooperation Wedding')",
            content: "The organisation's cooperation is shown",
        },
        {
            trigger: ".o_kommune_portal_item:contains('Portal Räume anfragen') .o_kommune_portal_item_done",
            content: "Mark the task as done",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_organization:not(:has(.o_kommune_portal_item))",
            content: "The task has left the list",
        },
        {
            trigger: "input[name='city']",
            content: "Propose a new city",
            run: "edit Berlin-Wedding",
        },
        {
            trigger: "button.o_kommune_portal_propose",
            content: "Send the proposal",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_proposed",
            content: "The proposal is acknowledged",
        },
    ],
});
