/* The mapping editor: field pickers from the connectors, one settings form per transform,
   rows added from a blank template, source records for the preview. No libraries. */
(function () {
  "use strict";

  var form = document.getElementById("rc-mapping-form");
  if (!form) { return; }
  var status = document.getElementById("rc-picker-status");
  var fields = { target: null, source: null };
  var valueMapIds = JSON.parse(document.getElementById("rc-value-map-ids").textContent || "{}");

  function say(text) { if (status) { status.textContent = text || ""; } }

  function getJSON(url, post) {
    var options = { credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (post) {
      options.method = "POST";
      options.headers["X-CSRFToken"] = form.querySelector("input[name='csrfmiddlewaretoken']").value;
    }
    return fetch(url, options)
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(body.error || response.statusText); }
          return body.items;
        });
      });
  }

  function fieldLabel(field) {
    var text = field.label + " — " + field.path;
    if (field.required) { text += " *"; }
    return text;
  }

  function fillPicker(select, items, current) {
    var groups = {};
    items.forEach(function (field) {
      var group = field.group || "";
      if (!groups[group]) {
        groups[group] = group ? document.createElement("optgroup") : select;
        if (group) { groups[group].label = group; select.appendChild(groups[group]); }
      }
      var option = document.createElement("option");
      option.value = field.path;
      option.textContent = fieldLabel(field);
      if (field.readonly) { option.textContent += " (" + select.dataset.readonlyLabel + ")"; }
      option.selected = field.path === current;
      groups[group].appendChild(option);
    });
  }

  function rowInput(row, side) {
    return row.querySelector("input[name$='-" + side + "_path']");
  }

  function findField(side, path) {
    return (fields[side] || []).filter(function (field) { return field.path === path; })[0];
  }

  function setUpPickers(row) {
    row.querySelectorAll("select.rc-picker").forEach(function (select) {
      var side = select.dataset.side;
      var input = rowInput(row, side);
      select.dataset.readonlyLabel = form.dataset.readonlyLabel || "read-only";
      if (select.options.length <= 1 && fields[side]) { fillPicker(select, fields[side], input.value); }
      select.addEventListener("change", function () {
        if (select.value) { input.value = select.value; }
        offerOptions(row);
        updateValueMapLink(row);
      });
      input.addEventListener("change", function () { select.value = input.value; offerOptions(row); updateValueMapLink(row); });
    });
  }

  function transformSelect(row) { return row.querySelector("select[name$='-transform']"); }

  function showParams(row) {
    var chosen = transformSelect(row).value;
    row.querySelectorAll(".rc-param-form").forEach(function (fieldset) {
      fieldset.hidden = fieldset.dataset.transform !== chosen;
    });
    updateValueMapLink(row);
  }

  /* Constants and defaults may only take one of the target field's options: offer them. */
  function offerOptions(row) {
    var target = findField("target", rowInput(row, "target").value);
    row.querySelectorAll("input[name$='-value']").forEach(function (input) {
      var listId = input.id + "-options";
      var list = document.getElementById(listId);
      if (list) { list.remove(); }
      input.removeAttribute("list");
      if (!target || !target.options.length) { return; }
      list = document.createElement("datalist");
      list.id = listId;
      target.options.forEach(function (option) {
        var item = document.createElement("option");
        item.value = option.value;
        item.label = option.label;
        list.appendChild(item);
      });
      input.after(list);
      input.setAttribute("list", listId);
    });
  }

  function updateValueMapLink(row) {
    var link = row.querySelector(".rc-value-map-link");
    if (!link) { return; }
    var map = row.querySelector("select[name$='-value_map-map']");
    var id = map && valueMapIds[map.value];
    link.hidden = !id;
    if (!id) { return; }
    var url = form.dataset.valueMapUrl.replace("/0/", "/" + id + "/");
    var query = new URLSearchParams({
      flow: form.dataset.flow,
      source: rowInput(row, "source").value,
      target: rowInput(row, "target").value
    });
    link.href = url + "?" + query.toString();
  }

  /* A setting that matters only for one choice of another is shown only then. */
  function showDependentFields(row) {
    var pairs = [["-value_map-unmapped", "-value_map-default", ["default"]],
                 ["-constant-value_kind", "-constant-value", ["text", "integer"]],
                 ["-default-value_kind", "-default-value", ["text", "integer"]]];
    pairs.forEach(function (pair) {
      var chooser = row.querySelector("select[name$='" + pair[0] + "']");
      var field = row.querySelector("input[name$='" + pair[1] + "']");
      if (!chooser || !field) { return; }
      var update = function () { field.closest(".rc-param").hidden = pair[2].indexOf(chooser.value) < 0; };
      chooser.addEventListener("change", update);
      update();
    });
  }

  function setUpRow(row) {
    showDependentFields(row);
    setUpPickers(row);
    transformSelect(row).addEventListener("change", function () { showParams(row); });
    var map = row.querySelector("select[name$='-value_map-map']");
    if (map) { map.addEventListener("change", function () { updateValueMapLink(row); }); }
    showParams(row);
    offerOptions(row);
  }

  function rows() { return form.querySelectorAll("#rc-rows tbody.rc-row"); }

  function addRow() {
    var total = form.querySelector("input[name='rows-TOTAL_FORMS']");
    var index = parseInt(total.value, 10);
    var html = document.getElementById("rc-empty-row").innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("table");
    holder.innerHTML = html;
    var row = holder.querySelector("tbody.rc-row");
    document.getElementById("rc-rows").appendChild(row);
    total.value = String(index + 1);
    setUpRow(row);
    var picker = row.querySelector("select.rc-picker[data-side='target']");
    if (picker) { picker.focus(); }
  }

  /* refresh: ask the systems again (the tenant may have added fields since they were kept). */
  function loadFields(side, refresh) {
    var url = refresh ? form.dataset[side + "Refresh"] : form.dataset[side + "Fields"];
    return getJSON(url, refresh).then(function (items) {
      fields[side] = items;
      rows().forEach(function (row) {
        var select = row.querySelector("select.rc-picker[data-side='" + side + "']");
        while (select.options.length > 1) { select.remove(1); }
        select.querySelectorAll("optgroup").forEach(function (group) { group.remove(); });
        fillPicker(select, items, rowInput(row, side).value);
        offerOptions(row);
      });
    });
  }

  function loadSourceRecords() {
    var select = document.getElementById("rc-source-pick");
    say(form.dataset.loadingLabel || "…");
    getJSON(form.dataset.sourceRecords).then(function (items) {
      items.forEach(function (record) {
        var option = document.createElement("option");
        option.value = record.id;
        option.textContent = (record.number || record.id) + " (" + record.id + ")";
        select.appendChild(option);
      });
      say("");
    }).catch(function (error) { say(error.message); });
  }

  rows().forEach(setUpRow);
  document.getElementById("rc-add-row").addEventListener("click", addRow);
  var pick = document.getElementById("rc-source-pick");
  if (pick) {
    pick.addEventListener("change", function () {
      document.getElementById("rc-preview-source").value = pick.value;
    });
    document.getElementById("rc-load-sources").addEventListener("click", loadSourceRecords);
  }
  function loadAll(refresh) {
    if (refresh) { say(form.dataset.loadingLabel || "…"); }
    // One side after the other: both ask their system through the connectors' shared state,
    // and an SQLite database (the demo's, the tests') lets one writer in at a time.
    return loadFields("target", refresh)
      .then(function () { return loadFields("source", refresh); })
      .then(function () { form.dataset.pickersReady = "yes"; if (refresh) { say(form.dataset.refreshedLabel || ""); } })
      .catch(function (error) { say(error.message); form.dataset.pickersReady = "failed"; });
  }
  var refreshButton = document.getElementById("rc-refresh-fields");
  if (refreshButton) {
    refreshButton.addEventListener("click", function () { form.dataset.pickersReady = ""; loadAll(true); });
  }
  loadAll(false);
})();
