// Add a "Copy" button after each read-only text marked data-copy. Without JavaScript the
// text can still be selected and copied by hand, so nothing depends on this.
for (const field of document.querySelectorAll("textarea[data-copy]")) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "nhsuk-button nhsuk-button--secondary";
  button.textContent = "Copy summary";
  const status = document.createElement("p");
  status.className = "nhsuk-body-s";
  status.setAttribute("role", "status");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Summary copied.";
    } catch {
      field.select();
      status.textContent = "Select the text and copy it (Ctrl+C).";
    }
  });
  field.closest(".nhsuk-form-group").after(button, status);
}
