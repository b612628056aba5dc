"""The form macros produce accessible markup: labels, hints, errors tied by aria-describedby."""

from flask import render_template_string


def render(app, source, **context):
    with app.test_request_context("/"):
        return render_template_string(
            '{% from "components/fields.html" import input, tel, textarea, radios, '
            'checkboxes %}{% from "components/error_summary.html" import error_summary %}' + source,
            **context,
        )


def test_input_with_error_is_described_by_hint_and_error(app):
    html = render(
        app,
        '{{ input("name", "Your name", "Wang", errors, hint="As on your ID card") }}',
        errors={"name": "Enter your name"},
    )
    assert '<label class="label" for="name">Your name</label>' in html
    assert 'aria-describedby="name-hint name-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Wang"' in html
    assert '<span class="visually-hidden">错误：</span> Enter your name' in html


def test_question_label_is_the_page_heading(app):
    html = render(app, '{{ tel("phone", "Your mobile number", as_heading=True) }}')
    assert '<h1 class="question"><label for="phone">Your mobile number</label></h1>' in html
    assert 'type="tel"' in html and 'inputmode="tel"' in html


def test_radios_keep_the_choice_and_the_first_takes_the_field_id(app):
    html = render(
        app,
        '{{ radios("b", "Building", [(1, "One"), (2, "Two", "Near the gate")], selected=2, errors=e) }}',
        e={"b": "Choose"},
    )
    assert 'id="b" name="b" type="radio" value="1">' in html
    assert 'id="b-2" name="b" type="radio" value="2" checked' in html
    assert 'id="b-2-item-hint"' in html
    assert "<legend" in html and "Building" in html


def test_checkboxes_keep_several_choices(app):
    html = render(app, '{{ checkboxes("n", "Needs", [("a", "A"), ("b", "B"), ("c", "C")], selected=["a", "c"]) }}')
    assert html.count("checked") == 2


def test_textarea_keeps_text(app):
    html = render(app, '{{ textarea("d", "Describe it", "<b>leak</b>") }}')
    assert "&lt;b&gt;leak&lt;/b&gt;" in html


def test_error_summary_links_to_each_field(app):
    html = render(app, "{{ error_summary(errors) }}", errors={"name": "Enter your name", "phone": "Enter a phone"})
    assert '<a href="#name">Enter your name</a>' in html
    assert '<a href="#phone">Enter a phone</a>' in html
    assert 'role="alert"' in html and "data-autofocus" in html
    assert render(app, "{{ error_summary({}) }}").strip() == ""


def test_summary_rows_name_their_change_link_and_carry_an_error(app):
    html = render(
        app,
        '{% from "components/summary.html" import summary_list, summary_row %}'
        '{% call summary_list() %}{{ summary_row("Day", "Monday", "/day", "the day", id="day", errors=e) }}'
        '{{ summary_row("For", "Wang") }}{% endcall %}',
        e={"day": "That day is full"},
    )
    assert '<div class="summary-row field-error" id="day" tabindex="-1">' in html
    assert '<span class="visually-hidden">错误：</span> That day is full</p>Monday</dd>' in html
    assert '<a href="/day">修改<span class="visually-hidden"> the day</span></a>' in html
    assert "<dt>For</dt><dd>Wang</dd>" in html and html.count("summary-action") == 1
