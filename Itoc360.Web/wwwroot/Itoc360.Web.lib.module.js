// Blazor JS initializer (picked up by name for this assembly): runs before Blazor starts in the browser, so the event
// type is known before the first interactive render attaches handlers.
// "rowaction": a click on a row action button inside the incident grid, whose buttons are plain markup; the grid
// listens with one @onrowaction on its table instead of a handler per button (IncidentTable, RowActionEventArgs).
export function beforeWebStart() {
    Blazor.registerCustomEventType("rowaction", {
        browserEventName: "click",
        createEventArgs: event => {
            const button = event.target instanceof Element ? event.target.closest("button[data-act]") : null;
            return button && !button.disabled ? { action: button.dataset.act, id: button.dataset.id } : { action: "", id: "" };
        }
    });
}
