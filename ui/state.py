"""Every ``st.session_state`` key the app uses, declared in one place.

Session state holds UI state only (who this browser tab is, what it is
looking at); every score, vote and decision goes to the store at once.
"""

from __future__ import annotations

from workshop.models import LEAD_TOKEN_PARAMETER

#: ui.session.FacilitatorSession of this tab, once its key has been checked.
FACILITATOR = "facilitator"
#: ui.session.Refusal: the facilitator link this tab was refused, and why.
FACILITATOR_REFUSAL = "facilitator_refusal"
#: The participant token of this tab (also in the URL as ?p=...).
PARTICIPANT_TOKEN = "participant_token"
#: The facilitator key of a workshop created in this tab, shown once.
NEW_KEY = "new_facilitator_key"
#: Last save confirmation shown to a participant: ui.scoring.SaveNote.
SAVE_NOTE = "save_note"
#: Participant's choice of card or grid view.
SCORING_VIEW = "scoring_view"
TABLE_VIEW = "table"  # its value when the participant chose the table

#: URL query parameters.
Q_PARTICIPANT = "p"
Q_WORKSHOP = "w"
Q_KEY = "k"
Q_CODE = "code"
#: A join link for a consultation's audience: the stakeholder group it puts the participant in.
Q_GROUP = "group"
#: A lead's link: ?lead=<token> opens the lead's page (app_pages/lead.py); the parameter is the plan's own.
Q_LEAD = LEAD_TOKEN_PARAMETER

# --------------------------------------------------------------------------- participant pages
#: Join page: the code typed (prefilled from ?code=), the group chosen, the display name.
JOIN_CODE = "join_code"
JOIN_GROUP = "join_group"
JOIN_NAME = "join_name"
JOIN_AGE = "join_age"  # a young people's ballot's optional age band
#: The join page's form.
JOIN_FORM = "join_form"
#: Set by Join, so that the participant's page gives its heading the focus once (ui.participant_widgets).
JUST_JOINED = "just_joined"
#: Scoring: which priority card is shown, f"{CARD_POSITION}-{round id}" (0-based in the participant's order);
#: its jump list, f"{CARD_POSITION}-{round id}-jump-{position}-{answers}" (a new widget when either changes).
CARD_POSITION = "card_position"
#: Scoring: set by Previous / Next so the new card is scrolled into view (and its heading focused).
CARD_MOVED = "card_moved"
#: A young people's ballot: which screen (priority) is shown, f"{BALLOT_SCREEN}-{round id}" (ui/ballot.py).
BALLOT_SCREEN = "ballot_screen"
#: Scoring: one control per cell, f"{SCORE_CELL}-{round id}-{priority id}-{criterion id}".
SCORE_CELL = "score"
#: Scoring, table view: the editor, f"{SCORE_GRID}-{round id}-{generation}"; the generation
#: (an int in GRID_GENERATION) moves on after a refused edit so the table reloads from the store.
SCORE_GRID = "score_grid"
GRID_GENERATION = "score_grid_generation"
#: Weighting: points per criterion, f"{POINTS}-{round id}-{criterion id}".
POINTS = "points"
#: Ranking: the order being built (tuple of priority ids, best first), f"{RANKING_ORDER}-{round id}";
#: in a pick-N round, the priority to add, f"{RANKING_ADD}-{round id}".
RANKING_ORDER = "ranking_order"
RANKING_ADD = "ranking_add"
#: Ranking: the Up / Down / Remove buttons, f"{RANKING_BUTTON}-{action}-{round id}-{priority id}",
#: and the button that saves the order as first shown, f"{RANKING_BUTTON}-keep-{round id}".
RANKING_BUTTON = "ranking_button"
#: Ranking: the buttons (keys, in order of preference) to give the focus back to after a move redraws the rows.
RANKING_FOCUS = "ranking_focus"
#: Follow-up round: the earlier answers shown back, {round id: (FeedbackSettings, workshop.feedback.RoundFeedback,
#: reasons)}, read once per round and settings (ui.earlier_answers).
EARLIER_FEEDBACK = "earlier_feedback"
#: Follow-up round: "Keep my answers" on a card, f"{KEEP_EARLIER}-{round id}-{priority id}" (also its note's key);
#: "Why did you change?", f"{score cell key}-why".
KEEP_EARLIER = "keep_earlier"
#: time.monotonic() of this tab's last heartbeat or save (both tell the store the participant is here).
LAST_HEARTBEAT = "last_heartbeat"

# --------------------------------------------------------------------------- facilitator pages
# (start, setup, live and projector view; values are UI state only)

#: A one-off note for the next run (str), shown as a toast after a rerun.
FLASH = "flash_message"
#: The live panel's last read of the room's progress: ui.live_widgets.ProgressSnapshot.
LIVE_PROGRESS = "live_progress"
#: The live panel's round timer: ui.live_widgets.RoundTimer.
LIVE_TIMER = "live_timer"
#: The setup page's last double-counting check: ui.setup_widgets.CorrelationCheck.
SETUP_CORRELATION = "setup_correlation"
#: The projector view's last read: ui.present_widgets.ProjectorSnapshot.
PRESENT_SNAPSHOT = "present_snapshot"

# Widget keys of the facilitator pages (a trailing "_" marks a prefix completed by an id).
START_WEIGHTING_ROUND = "start_weighting_round"
START_CREATE_SAMPLE = "start_create_sample"
START_UPLOAD_TITLE = "start_upload_title"
START_PRIORITIES_FILE = "start_priorities_file"
START_CRITERIA_FILE = "start_criteria_file"
START_GROUPS_FILE = "start_groups_file"
START_CREATE_UPLOAD = "start_create_upload"
START_BLANK_TITLE = "start_blank_title"
START_CREATE_BLANK = "start_create_blank"
START_SIGN_IN_LINK = "start_sign_in_link"
START_SIGN_IN_KEY = "start_sign_in_key"
START_SIGN_IN = "start_sign_in"
START_KEY_SAVED = "start_key_saved"
START_JOIN_CODE = "start_join_code"
SETUP_TITLE = "setup_title"
SETUP_ORGANISATION = "setup_organisation"
SETUP_DATE = "setup_date"
SETUP_DESCRIPTION = "setup_description"
SETUP_SAVE_DETAILS = "setup_save_details"
SETUP_PRIORITIES_EDITOR_ = "setup_priorities_editor_"
SETUP_SAVE_PRIORITIES = "setup_save_priorities"
SETUP_CRITERIA_EDITOR_ = "setup_criteria_editor_"
SETUP_SAVE_CRITERIA = "setup_save_criteria"
SETUP_DESCRIPTOR_ = "setup_descriptor_"
SETUP_SAVE_DESCRIPTORS = "setup_save_descriptors"
SETUP_WEIGHT_METHOD = "setup_weight_method"
SETUP_DIRECT_WEIGHT_ = "setup_direct_weight_"
SETUP_RANK_ = "setup_rank_"
SETUP_PAIR_ = "setup_pair_"
SETUP_SAVE_WEIGHTS = "setup_save_weights"
#: Swing weights: the criterion in each place of the order, f"{SETUP_SWING_ORDER_}{tag}_{place}", and its swing.
SETUP_SWING_ORDER_ = "setup_swing_order_"
SETUP_SWING_ = "setup_swing_"
SETUP_GROUPS_EDITOR_ = "setup_groups_editor_"
SETUP_SAVE_GROUPS = "setup_save_groups"
SETUP_SHORTLIST_SIZE = "setup_shortlist_size"
SETUP_SAVE_SHORTLIST = "setup_save_shortlist"
SETUP_ADD_WEIGHTING_ROUND = "setup_add_weighting_round"
SETUP_IMPORT_PRIORITIES = "setup_import_priorities"
SETUP_IMPORT_CRITERIA = "setup_import_criteria"
SETUP_IMPORT = "setup_import"
LIVE_ACTION_ = "live_action_"
LIVE_CONFIRM_ = "live_confirm_"
LIVE_ADOPT_ = "live_adopt_"
LIVE_NEW_ROUND_KIND = "live_new_round_kind"
LIVE_NEW_ROUND_TITLE = "live_new_round_title"
LIVE_NEW_ROUND_PRIORITIES = "live_new_round_priorities"
LIVE_NEW_ROUND_PICK = "live_new_round_pick"
LIVE_NEW_ROUND_BALLOT = "live_new_round_ballot"
LIVE_ADD_ROUND = "live_add_round"
LIVE_TIMER_MINUTES = "live_timer_minutes"
LIVE_TIMER_START = "live_timer_start"
LIVE_TIMER_STOP = "live_timer_stop"
LIVE_FOLLOWUP_SOURCE = "live_followup_source"
LIVE_FOLLOWUP_PRIORITIES_ = "live_followup_priorities_"
LIVE_FOLLOWUP_KIND = "live_followup_kind"
LIVE_FOLLOWUP_PICK = "live_followup_pick"
LIVE_FOLLOWUP_TITLE = "live_followup_title"
LIVE_CREATE_FOLLOWUP = "live_create_followup"
#: Feedback between rounds (ui.feedback_widgets): a form's settings, f"{prefix}{form}" with form "live",
#: "agree" or a round id (the settings of an existing round), and that round's save button.
FEEDBACK_SPLIT_ = "feedback_split_"
FEEDBACK_PRESELECT_ = "feedback_preselect_"
FEEDBACK_ASK_WHY_ = "feedback_ask_why_"
FEEDBACK_SAVE_ = "feedback_save_"
#: The live panel's "still to finish" download, f"{LIVE_TO_FINISH_}{round id}".
LIVE_TO_FINISH_ = "live_to_finish_"
LIVE_CAP = "live_cap"
LIVE_CAP_SET = "live_cap_set"
LIVE_REMOVE_WHO = "live_remove_who"
LIVE_REMOVE_ANSWERS = "live_remove_answers"
LIVE_REMOVE_SURE = "live_remove_sure"
LIVE_REMOVE = "live_remove"
#: A draft scoring round's consultation settings (f"{key}{round id}"): the form, audience, share,
#: size and minimum; the form that opens it until a closing time; the form that extends it.
LIVE_CONSULT_FORM_ = "live_consult_form_"
LIVE_CONSULT_AUDIENCE_ = "live_consult_audience_"
LIVE_CONSULT_SHARE_ = "live_consult_share_"
LIVE_CONSULT_SIZE_ = "live_consult_size_"
LIVE_CONSULT_MINIMUM_ = "live_consult_minimum_"
LIVE_CONSULT_OPEN_ = "live_consult_open_"
LIVE_CONSULT_EXTEND_ = "live_consult_extend_"
#: Live page: which open round to watch when consultations for several audiences are open at once.
LIVE_WATCH = "live_watch"
#: A participant's choice of themes in a round shared by themes (f"{key}{round id}").
PARTICIPANT_THEMES_ = "participant_themes_"

# --------------------------------------------------------------------------- results and agreement pages
# (widget keys; a trailing "_" marks a prefix completed by f"{round id}" or f"{round id}-{more}")

#: Results: the round looked at, and the ranking controls (their values are stored with the workshop).
RESULTS_ROUND = "results_round"
RESULTS_METHOD = "results_method"
RESULTS_AGGREGATION = "results_aggregation"
RESULTS_BALANCED = "results_balanced"
#: Results: the open tab; also its URL query parameter (?tab=Sensitivity), bound by st.tabs.
RESULTS_TAB = "tab"
RESULTS_PRIORITY_ = "results_priority_"
RESULTS_GROUP_VALUE = "results_group_value"
RESULTS_CRITERION_ = "results_criterion_"
RESULTS_SMAA_FORM = "results_smaa_form"
RESULTS_SMAA_SAMPLING = "results_smaa_sampling"
RESULTS_SMAA_SAMPLES = "results_smaa_samples"
RESULTS_SMAA_SEED = "results_smaa_seed"
RESULTS_SMAA_CONCENTRATION = "results_smaa_concentration"
RESULTS_BOOT_FORM = "results_boot_form"
RESULTS_BOOT_RESAMPLES = "results_boot_resamples"
RESULTS_BOOT_SEED = "results_boot_seed"
#: Consensus: the rule's form (shares in %, whether the bands are the thirds, the bands' ends) and the ballot rule.
RESULTS_RULE_FORM = "results_rule_form"
RESULTS_RULE_IN = "results_rule_in"
RESULTS_RULE_AGAINST = "results_rule_against"
RESULTS_RULE_THIRDS = "results_rule_thirds"
RESULTS_RULE_HIGH_FROM = "results_rule_high_from"
RESULTS_RULE_HIGH_TO = "results_rule_high_to"
RESULTS_RULE_LOW_FROM = "results_rule_low_from"
RESULTS_RULE_LOW_TO = "results_rule_low_to"
RESULTS_BALLOT_RULE = "results_ballot_rule"
#: What if: one slider per criterion, f"{RESULTS_WHATIF_WEIGHT_}{round id}-{criterion id}".
RESULTS_WHATIF_WEIGHT_ = "results_whatif_weight_"
RESULTS_WHATIF_RESET = "results_whatif_reset"
RESULTS_WHATIF_GROUP = "results_whatif_group"
RESULTS_WHATIF_BASIS = "results_whatif_basis"
#: Agree, narrowing: source round, size, the chosen priorities f"{AGREE_FOLLOWUP_}{round id}-{size}", the new round.
AGREE_SOURCE = "agree_source"
AGREE_SIZE_ = "agree_size_"
AGREE_FOLLOWUP_ = "agree_followup_"
AGREE_KIND = "agree_kind"
AGREE_PICK = "agree_pick"
AGREE_TITLE = "agree_title"
AGREE_CREATE = "agree_create"
#: Agree, the shortlist: basis round, constraints, the agreed list f"{AGREE_SHORTLIST_}{round id}-{proposal}",
#: a rationale per chosen priority and a reason per departure, f"{prefix}{priority id}".
AGREE_BASIS = "agree_basis"
AGREE_CAP_ = "agree_cap_"
AGREE_INCLUDE_ = "agree_include_"
AGREE_EXCLUDE_ = "agree_exclude_"
AGREE_SHORTLIST_ = "agree_shortlist_"
AGREE_RATIONALE_ = "agree_rationale_"
AGREE_CHANGE_ = "agree_change_"
AGREE_DECIDED_BY = "agree_decided_by"
AGREE_NOTE = "agree_note"
AGREE_RECORD = "agree_record"

# --------------------------------------------------------------------------- the plan (app_pages/plan.py, lead.py)
PLAN_INDICATORS_EDITOR_ = "plan_indicators_editor_"
PLAN_SAVE_INDICATORS = "plan_save_indicators"
PLAN_ACTUALS_EDITOR_ = "plan_actuals_editor_"
PLAN_SAVE_ACTUALS = "plan_save_actuals"
PLAN_IMPORT_INDICATORS = "plan_import_indicators"
PLAN_IMPORT_ACTUALS = "plan_import_actuals"
PLAN_IMPORT = "plan_import"
PLAN_TOLERANCE = "plan_tolerance"
PLAN_PROGRESS = "plan_progress"
PLAN_ISSUE_LINK_ = "plan_issue_link_"
#: An annual review's Plan page: start this year's plan from last year's indicators.
PLAN_CARRY = "plan_carry"
#: The lead link just issued on the Plan page: (priority id, url), shown until another is issued.
PLAN_LEAD_LINK = "plan_lead_link"
#: The performance report's period (a label, "2012-Q1"), on the Plan and Agree pages.
PERFORMANCE_PERIOD = "performance_period"
#: The lead's page: its form's fields, f"{LEAD_FIELD_}{indicator id}-{field}", and its save button.
LEAD_FIELD_ = "lead_field_"
LEAD_SAVE = "lead_save"
