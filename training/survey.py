"""The confidence survey: the same statements before and after the course, with stable keys."""

STATEMENTS = (
    ("identify", "I feel confident identifying a patient who may be being stalked."),
    ("ask", "I feel confident asking a patient whether they are being stalked."),
    ("services", "I know which specialist stalking services exist."),
    ("refer", "I know how to refer a patient who is being stalked."),
    ("ptsd", "I can recognise when a patient who is being stalked should be assessed for PTSD."),
    ("colleague", "I know how to respond if a colleague tells me they are being stalked."),
)

SCALE = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)

# "Agree" or "strongly agree" counts as confident in reports.
AGREE_VALUES = (4, 5)
