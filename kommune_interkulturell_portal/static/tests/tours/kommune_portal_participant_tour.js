import { registry } from "@web/core/registry";

// A participant in "My Account": the card leads to their trainings, the training's page
// shows the sessions, they cancel and the page says so; then their consents.
registry.category("web_tour.tours").add("kommune_portal_participant_tour", {
    url: "/my",
    steps: () => [
        {
            trigger: "a[href='/my/kommune/trainings']",
            content: "Open My trainings from the home page",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_registration a:contains('Tour-Schulung Fördermittel')",
            content: "Open the training",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_sessions li",
            content: "The sessions are listed",
        },
        {
            trigger: ".o_kommune_portal_ics",
            content: "The calendar file is offered",
        },
        {
            trigger: "button.o_kommune_portal_cancel",
            content: "Cancel the registration",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_cancelled",
            content: "The page confirms the cancellation",
        },
        {
            trigger: ".o_kommune_registration_state:contains('Cancelled')",
            content: "The state is Cancelled",
        },
        {
            trigger: ".o_portal_submenu a[href='/my/home']",
            content: "Back home",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "a[href='/my/kommune/consents']",
            content: "Open My consents",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_purpose[data-purpose-code='training'] .o_kommune_portal_withdraw",
            content: "Withdraw the consent to training administration",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_portal_withdrawn",
            content: "The withdrawal is confirmed",
        },
    ],
});
