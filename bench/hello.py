"""The bare-Flask ceiling: one route that answers a short text, served by the same gunicorn as the app.
A page's share of this figure, measured in the same run, says what the page costs beyond the framework
and the server, whatever the machine's speed or load."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello"
