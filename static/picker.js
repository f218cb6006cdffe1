// The person picker (templates/macros.html person_picker): htmx fills the listbox as the person types;
// this script lets them move through it with the arrow keys, pick with Enter or a click, and close it
// with Escape. Each pick becomes a checked box posting the employee number, as the server renders it.
(function () {
  "use strict";

  function pickerOf(element) {
    var box = element && element.closest ? element.closest("[data-picker]") : null;
    if (!box) return null;
    return {box: box, input: box.querySelector(".picker-search"), list: box.querySelector("[role=listbox]"),
            chosen: box.querySelector(".picker-chosen")};
  }

  function options(picker) {
    return Array.prototype.slice.call(picker.list.querySelectorAll("[role=option][data-value]"));
  }

  function activeIndex(picker) {
    return options(picker).findIndex(function (option) { return option.getAttribute("aria-selected") === "true"; });
  }

  function activate(picker, index) {
    var all = options(picker);
    all.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (all[index]) {
      picker.input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({block: "nearest"});
    } else {
      picker.input.removeAttribute("aria-activedescendant");
    }
  }

  function close(picker) {
    picker.list.innerHTML = "";
    picker.input.setAttribute("aria-expanded", "false");
    picker.input.removeAttribute("aria-activedescendant");
  }

  function choose(picker, option) {
    var value = option.dataset.value;
    if (picker.box.dataset.picker === "text") {  // a plain employee-number field: the number goes in it
      picker.input.value = value;
      close(picker);
      return;
    }
    var taken = Array.prototype.some.call(picker.chosen.querySelectorAll("input"),
                                          function (box) { return box.value === value && box.checked; });
    if (!taken) {
      if (picker.box.dataset.picker === "one") picker.chosen.innerHTML = "";
      var chip = document.createElement("label");
      var tick = document.createElement("input");
      var detail = document.createElement("small");
      chip.className = "chip";
      tick.type = "checkbox";
      tick.name = picker.box.dataset.name;
      tick.value = value;
      tick.checked = true;
      detail.textContent = option.dataset.detail || "";
      chip.append(tick, " " + option.dataset.name + " ", detail);
      picker.chosen.append(chip);
    }
    picker.input.value = "";
    close(picker);
    picker.input.focus();
    picker.box.dispatchEvent(new Event("change", {bubbles: true}));
  }

  document.addEventListener("keydown", function (event) {
    if (!event.target.matches || !event.target.matches(".picker-search")) return;
    var picker = pickerOf(event.target);
    var count = options(picker).length;
    var index = activeIndex(picker);
    if (event.key === "ArrowDown" && count) {
      activate(picker, (index + 1) % count);
    } else if (event.key === "ArrowUp" && count) {
      activate(picker, index <= 0 ? count - 1 : index - 1);
    } else if (event.key === "Enter" && index >= 0) {
      choose(picker, options(picker)[index]);
    } else if (event.key === "Escape" && picker.list.children.length) {
      close(picker);
    } else {
      return;
    }
    event.preventDefault();  // keep the page from scrolling and the form from being sent
  });

  // mousedown, not click: the search box keeps its focus, so the list is still there to click.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-picker] [role=option][data-value]");
    if (option) {
      event.preventDefault();
      choose(pickerOf(option), option);
    }
  });

  document.addEventListener("focusout", function (event) {
    var picker = pickerOf(event.target);
    if (picker && event.target === picker.input && !picker.box.contains(event.relatedTarget)) close(picker);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || event.target !== picker.list) return;
    options(picker).forEach(function (option, i) { option.id = picker.list.id + "-" + i; });
    picker.input.setAttribute("aria-expanded", picker.list.children.length ? "true" : "false");
    activate(picker, options(picker).length ? 0 : -1);
  });
})();
