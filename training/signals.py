"""What happened in training, announced for other apps to act on.

Training imports nothing above it: reporting listens to these signals to keep its summaries
up to date (reporting/apps.py connects the receivers). Each signal is sent by a service in
`training/services.py` right after the write it announces, inside the same transaction, so
a receiver's writes commit or roll back with it. Receivers run synchronously and an exception
in one fails the write: a summary never silently falls out of step with the rows it counts.

Every signal is sent with the model class as `sender`.
"""

from django.dispatch import Signal

# A learner read a page of a module for the first time. Arguments: user, page_view.
page_first_viewed = Signal()

# A learner started an attempt at a module's quiz. Arguments: attempt.
attempt_started = Signal()

# A learner submitted an attempt, now scored and closed; sent once per attempt, before any
# module_completed it leads to. Arguments: attempt (with is_first and passed set), answers
# (the AttemptAnswer rows written).
attempt_submitted = Signal()

# A learner completed a module for the first time. Arguments: completion.
module_completed = Signal()

# A learner submitted a survey (once per phase and content version). Arguments: response.
survey_submitted = Signal()

# Loading content changed which modules are active, so what "finishing the course" means
# has changed. No arguments.
course_changed = Signal()
