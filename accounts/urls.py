from django.urls import path

from accounts import cis2_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("cis2/start/", cis2_views.cis2_start, name="cis2_start"),
    path("cis2/callback/", cis2_views.cis2_callback, name="cis2_callback"),
    path("cis2/jwks.json", cis2_views.cis2_jwks, name="cis2_jwks"),
    path(
        "cis2/backchannel-logout/",
        cis2_views.cis2_backchannel_logout,
        name="cis2_backchannel_logout",
    ),
    path("signup/", views.signup, name="signup"),
    path("signup/check-your-email/", views.signup_done, name="signup_done"),
    path("verify/new-link/", views.verification_resend, name="verification_resend"),
    path("verify/new-link/sent/", views.verification_sent, name="verification_sent"),
    path("verify/<uidb64>/<token>/", views.verify_email, name="verify_email"),
    path("profile/", views.profile, name="profile"),
    path(
        "profile/practice-move/cancel/",
        views.practice_move_cancel,
        name="practice_move_cancel",
    ),
    path("practice-moves/", views.practice_moves, name="practice_moves"),
    path(
        "practice-moves/<int:pk>/decide/",
        views.practice_move_decide,
        name="practice_move_decide",
    ),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path(
        "two-factor/backup-codes/new/",
        views.two_factor_new_backup_codes,
        name="two_factor_new_backup_codes",
    ),
    path("two-factor/turn-off/", views.two_factor_turn_off, name="two_factor_turn_off"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
