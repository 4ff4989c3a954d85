/*
 * The checklist on the audit page, walked with the keyboard. On a question (not in a text box):
 * 1–4 pick the result and move to the next question; j / ↓ next, k / ↑ previous; n notes,
 * e evidence, f record a finding for this question. Esc leaves a text box; Ctrl+S saves anywhere.
 */
(function () {
    "use strict";
    const form = document.querySelector("[data-checklist]");
    if (!form) return;
    const items = Array.from(form.querySelectorAll("[data-item]"));
    const unsaved = form.querySelector("[data-unsaved]");
    let current = 0;
    let dirty = false;

    function focusItem(index) {
        if (!items.length) return;
        current = Math.max(0, Math.min(items.length - 1, index));
        items.forEach((item, i) => item.classList.toggle("qms-item--current", i === current));
        items[current].focus({ preventScroll: true });
        items[current].scrollIntoView({ block: "center", behavior: "smooth" });
    }

    function markDirty() {
        dirty = true;
        if (unsaved) unsaved.hidden = false;
    }

    function isTyping(element) {
        return element && (element.tagName === "TEXTAREA" || (element.tagName === "INPUT" && element.type !== "radio" && element.type !== "checkbox") || element.tagName === "SELECT");
    }

    items.forEach((item, index) => {
        item.addEventListener("focusin", () => {
            current = index;
            items.forEach((other, i) => other.classList.toggle("qms-item--current", i === index));
        });
        item.addEventListener("change", (event) => {
            markDirty();
            if (event.target.type === "radio") {
                item.className = item.className.replace(/qms-item--(conforms|nonconformity|observation|not_applicable)/g, "");
                item.classList.add("qms-item--" + event.target.value);
            }
        });
        item.addEventListener("input", markDirty);
    });

    document.addEventListener("keydown", (event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
            event.preventDefault();
            dirty = false;
            form.querySelector("[name=anchor]").value = items[current] ? "#" + items[current].id : "";
            form.requestSubmit();
            return;
        }
        const target = event.target;
        if (isTyping(target)) {
            if (event.key === "Escape") {
                event.preventDefault();
                focusItem(current);
            }
            return;
        }
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        const item = items[current];
        if (!item) return;
        if (/^[1-4]$/.test(event.key)) {
            const radios = item.querySelectorAll("input[type=radio]");
            const radio = radios[Number(event.key) - 1];
            if (radio) {
                event.preventDefault();
                radio.checked = true;
                radio.dispatchEvent(new Event("change", { bubbles: true }));
                focusItem(current + 1);
            }
        } else if (event.key === "j" || event.key === "ArrowDown") {
            if (target.type === "radio") return;  // arrows move between a question's results
            event.preventDefault();
            focusItem(current + 1);
        } else if (event.key === "k" || event.key === "ArrowUp") {
            if (target.type === "radio") return;
            event.preventDefault();
            focusItem(current - 1);
        } else if (event.key === "n" || event.key === "e") {
            event.preventDefault();
            item.querySelector(event.key === "n" ? "[data-notes]" : "[data-evidence]").focus();
        } else if (event.key === "f") {
            const link = item.querySelector("[data-finding-link]");
            if (link) {
                event.preventDefault();
                link.click();
            }
        }
    });

    form.addEventListener("submit", () => {
        dirty = false;
    });
    window.addEventListener("beforeunload", (event) => {
        if (dirty) {
            event.preventDefault();
            event.returnValue = "";
        }
    });

    const fromHash = items.findIndex((item) => "#" + item.id === window.location.hash);
    focusItem(fromHash >= 0 ? fromHash : Math.max(0, items.findIndex((item) => !item.querySelector("input[type=radio]:checked"))));
})();
