// The /ask page without reloading: the form posts to /api/v1/ask and the answer is added to the
// conversation in place. Without JavaScript the same form posts to /ask and the server renders
// the conversation; both keep it in the hidden "transcript" field, so either can take over.
// Record text is only ever set as text (textContent), never parsed as HTML.
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  if (!form || !window.fetch || !window.JSON) { return; }
  var list = document.getElementById("conversation");
  var field = document.getElementById("transcript");
  var input = document.getElementById("question");
  var status = document.getElementById("ask-status");
  var button = form.querySelector("button[type=submit]");
  var text = form.dataset;
  var KEEP = 6;

  function transcript() {
    try { var data = JSON.parse(field.value || "[]"); return Array.isArray(data) ? data : []; }
    catch (e) { return []; }
  }

  function history(exchanges) {
    var turns = [];
    exchanges.forEach(function (e) {
      turns.push({ role: "user", content: String(e.question).slice(0, 4000) });
      turns.push({ role: "assistant", content: String(e.answer.answer).slice(0, 4000) });
    });
    return turns;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  function paragraph(line, turn) {
    var p = el("p");
    var pattern = /\[(\d{1,3})\]/g, last = 0, match;
    while ((match = pattern.exec(line)) !== null) {
      if (match.index > last) { p.appendChild(document.createTextNode(line.slice(last, match.index))); }
      var a = el("a", "cite", match[0]);
      a.href = "#turn-" + turn + "-source-" + match[1];
      a.setAttribute("aria-label", text.source + " " + match[1]);
      p.appendChild(a);
      last = pattern.lastIndex;
    }
    if (last < line.length) { p.appendChild(document.createTextNode(line.slice(last))); }
    return p;
  }

  function render(exchange, turn) {
    var a = exchange.answer;
    var li = el("li", "turn");
    li.id = "turn-" + turn;
    var asked = el("p", "asked");
    asked.appendChild(el("span", "who", text.asked));
    asked.appendChild(document.createTextNode(exchange.question));
    li.appendChild(asked);
    var body = el("div", a.grounded ? "answer" : "answer refused");
    body.lang = a.lang === "zh" ? "zh-CN" : "en";
    a.answer.split("\n").forEach(function (line) { body.appendChild(paragraph(line, turn)); });
    li.appendChild(body);
    if (a.standalone !== a.question) { li.appendChild(el("p", "note", text.readAs + a.standalone)); }
    if (a.counts && a.counts.length) {
      var counts = el("ul", "counts");
      a.counts.forEach(function (c) {
        var item = el("li"), link = el("a", "", text.see + " (" + c.total + ")");
        link.href = c.listing;
        item.appendChild(link);
        counts.appendChild(item);
      });
      li.appendChild(counts);
    }
    if (a.citations && a.citations.length) {
      var details = el("details", "sources");
      details.open = true;
      details.appendChild(el("summary", "", text.sources + " (" + a.citations.length + ")"));
      var ol = el("ol");
      a.citations.forEach(function (c) {
        var item = el("li");
        item.id = "turn-" + turn + "-source-" + c.n;
        item.value = c.n;
        var link = el("a", "", c.title);
        link.href = c.html;
        item.appendChild(link);
        var meta = el("span", "meta");
        meta.appendChild(el("span", "id", c.id));
        if (c.date) { meta.appendChild(document.createTextNode(" · " + c.date)); }
        item.appendChild(document.createTextNode(" "));
        item.appendChild(meta);
        item.appendChild(el("blockquote", "", c.passage));
        ol.appendChild(item);
      });
      details.appendChild(ol);
      if (a.data_as_of) { details.appendChild(el("p", "note", text.asOf + a.data_as_of.slice(0, 16).replace("T", " ") + " UTC")); }
      li.appendChild(details);
    }
    return li;
  }

  form.addEventListener("submit", function (event) {
    var question = input.value.trim();
    if (!question) { return; }  // the browser (required) or the server says why
    event.preventDefault();
    var exchanges = transcript();
    button.disabled = true;
    status.textContent = text.thinking;
    fetch(form.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ question: question, history: history(exchanges).slice(-20) })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (reply) {
      if (!reply.ok) { throw new Error(reply.body.detail || reply.body.title || ""); }
      var exchange = { question: question, answer: reply.body };
      exchanges.push(exchange);
      field.value = JSON.stringify(exchanges.slice(-KEEP));
      var node = render(exchange, list.children.length + 1);
      list.appendChild(node);
      input.value = "";
      status.textContent = "";
      var old = document.getElementById("ask-error");
      if (old) { old.remove(); }
      node.scrollIntoView({ block: "nearest" });
    }).catch(function (error) {
      status.textContent = text.failed + (error.message || "");
    }).then(function () {
      button.disabled = false;
      input.focus();
    });
  });
}());
