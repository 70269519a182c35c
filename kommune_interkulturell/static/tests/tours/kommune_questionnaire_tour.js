import { registry } from "@web/core/registry";

// A participant fills in their questionnaire through their personal link (no login).
registry.category("web_tour.tours").add("kommune_questionnaire_tour", {
    steps: () => [
        {
            trigger: "input[name='zip']",
            content: "Correct the postcode",
            run: "edit 10999",
        },
        ...[
            "gender_female",
            "age_group_30_54",
            "employment_status_employed",
            "education_no_answer",
            "third_country_national_yes",
            "foreign_background_no_answer",
        ].map((answer) => ({
            trigger: `#o_kommune_${answer}`,
            content: `Answer ${answer}`,
            run: "click",
        })),
        {
            trigger: "button[type='submit']",
            content: "Save the answers",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_kommune_questionnaire_saved",
            content: "The answers are saved",
        },
        {
            trigger: "body:not(:has(form input[name='zip']))",
            content: "and not shown again: the link has ended",
        },
    ],
});
