import { registry } from "@web/core/registry";

// Staff send an organisation its self-check from the organisation's form.
registry.category("web_tour.tours").add("kommune_development_check_send_tour", {
    steps: () => [
        {
            trigger: ".o_notebook a[name='kommune_development_checks']",
            content: "The organisation's self-checks",
            run: "click",
        },
        {
            trigger: "button[name='action_kommune_send_development_check']",
            content: "Send the self-check",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='exclusion_ids'] tr:contains('Tour Otto Ohnezustimmung')",
            content: "Who gets no link, and why",
        },
        {
            trigger: ".modal button[name='action_send']",
            run: "click",
        },
        {
            trigger: ".o_notification",
            content: "Sent to the contact person with consent only (the test checks who)",
        },
    ],
});

// The contact person answers it through the personal link: the first statement of
// each section with the third answer ("Mostly true", 3 points), the others left out.
const SECTIONS = 7;
const answerSection = (last) => [
    {
        // Not selected yet: waits for the next section to replace the one answered.
        trigger: "div.js_question-wrapper:first label.o_survey_choice_btn:eq(2):not(.o_survey_selected)",
        content: "Answer the first statement of the section",
        run: "click",
    },
    {
        trigger: "div.js_question-wrapper:first label.o_survey_choice_btn.o_survey_selected",
    },
    {
        trigger: last ? "button[value='finish']" : "button[value='next']",
        run: "click",
    },
];

registry.category("web_tour.tours").add("kommune_development_check_answer_tour", {
    steps: () => [
        {
            trigger: "button[value='start']:not(.disabled)",
            run: "click",
        },
        ...Array.from({ length: SECTIONS }, (_value, index) => answerSection(index === SECTIONS - 1)).flat(),
        {
            trigger: ".modal-footer button.btn-primary",
            content: "Confirm the submission",
            run: "click",
        },
        {
            trigger: ".o_survey_finished",
            content: "The end message of the self-check",
        },
    ],
});
