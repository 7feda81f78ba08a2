/* Live progress for the run page and the flow list.
 *
 * Elements marked data-progress-run="<run id>" or data-progress-flow="<flow id>" are filled
 * from the JSON endpoint named by this script's data-progress-url, polled every few seconds
 * while the page is visible. A run page stops polling once its run has finished; the flow
 * list keeps watching, since a flow may start a new run at any time. No dependencies.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var url = script && script.dataset.progressUrl;
  var interval = Number((script && script.dataset.progressInterval) || 2000);
  var idleText = (script && script.dataset.idleText) || "";
  var pausedText = (script && script.dataset.pausedText) || "";
  if (!url) {
    return;
  }

  function ids(attribute) {
    var found = [];
    document.querySelectorAll("[" + attribute + "]").forEach(function (element) {
      found.push(element.getAttribute(attribute));
    });
    return found;
  }

  function paint(element, progress, paused) {
    var bar = element.querySelector(".hub-progress-bar span");
    var text = element.querySelector(".hub-progress-text");
    var status = progress ? progress.status : "idle";
    element.dataset.status = progress && progress.held ? "held" : status;
    element.dataset.percent = progress && progress.percent !== null ? progress.percent : "";
    if (bar) {
      var percent = progress && progress.percent !== null ? progress.percent : 0;
      bar.style.width = percent + "%";
      bar.parentNode.setAttribute("aria-valuenow", String(percent));
    }
    if (text) {
      if (!progress) {
        text.textContent = paused ? pausedText : idleText;
      } else {
        var label = progress.held ? pausedText : progress.status_label + " · " + progress.phase_label;
        var percentText = progress.percent !== null ? progress.percent + "% · " : "";
        text.textContent = label + " · " + percentText + progress.text;
      }
    }
  }

  // A run page opened while its run was going: once the run ends, its status field says so
  // and the buttons meant for a running run (pause) go away, without reloading the page.
  function settle(element, progress) {
    var panel = element.closest("[data-settle-when-finished]");
    if (!panel) {
      return;
    }
    panel.querySelectorAll("[data-while-running]").forEach(function (node) {
      node.remove();
    });
    var status = document.querySelector(".field-status .readonly");
    if (status) {
      status.textContent = progress.status_label;
    }
  }

  function apply(answer) {
    var active = false;
    document.querySelectorAll("[data-progress-run]").forEach(function (element) {
      var progress = answer.runs[element.getAttribute("data-progress-run")];
      paint(element, progress, false);
      if (progress && !progress.finished) {
        active = true;
      } else if (progress) {
        settle(element, progress);
      }
    });
    var paused = (answer.paused || []).map(String);
    document.querySelectorAll("[data-progress-flow]").forEach(function (element) {
      var flow = element.getAttribute("data-progress-flow");
      paint(element, answer.flows[flow], paused.indexOf(flow) >= 0);
      active = true;
    });
    return active;
  }

  function poll() {
    var runs = ids("data-progress-run");
    var flows = ids("data-progress-flow");
    if (!runs.length && !flows.length) {
      return;
    }
    if (document.hidden) {
      window.setTimeout(poll, interval);
      return;
    }
    var query = "?runs=" + runs.join(",") + "&flows=" + flows.join(",");
    fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        if (apply(answer)) {
          window.setTimeout(poll, interval);
        }
      })
      .catch(function () {
        window.setTimeout(poll, interval * 3);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", poll);
  } else {
    poll();
  }
})();
