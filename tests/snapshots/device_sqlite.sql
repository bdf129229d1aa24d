-- table action on action
CREATE TABLE action (
	person_id CHAR(32) NOT NULL, 
	barrier_id CHAR(32), 
	theme VARCHAR(64), 
	action_code VARCHAR(128), 
	custom_label VARCHAR(255), 
	partner VARCHAR(255), 
	status VARCHAR(16) NOT NULL, 
	start_date DATE, 
	due_date DATE, 
	end_date DATE, 
	outcome TEXT, 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_action PRIMARY KEY (id), 
	CONSTRAINT ck_action_status_valid CHECK (status IN ('planned', 'in_progress', 'standby', 'done', 'abandoned', 'cancelled')), 
	CONSTRAINT ck_action_has_label CHECK (action_code IS NOT NULL OR custom_label IS NOT NULL), 
	CONSTRAINT ck_action_due_after_start CHECK (due_date IS NULL OR start_date IS NULL OR due_date >= start_date), 
	CONSTRAINT fk_action_barrier_id_barrier FOREIGN KEY(barrier_id) REFERENCES barrier (id), 
	CONSTRAINT fk_action_person_id_person FOREIGN KEY(person_id) REFERENCES person (id)
);

-- index ix_action_barrier on action
CREATE INDEX ix_action_barrier ON action (barrier_id);

-- index ix_action_person_status_due on action
CREATE INDEX ix_action_person_status_due ON action (person_id, status, due_date);

-- table alembic_version on alembic_version
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- table appointment on appointment
CREATE TABLE appointment (
	person_id CHAR(32) NOT NULL, 
	referent_id CHAR(32), 
	starts_at VARCHAR(27) NOT NULL, 
	duration_minutes INTEGER NOT NULL, 
	mode VARCHAR(16) NOT NULL, 
	place VARCHAR(255), 
	purpose VARCHAR(24) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	outcome_recorded_at VARCHAR(27), 
	summary TEXT, 
	next_steps TEXT, 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_appointment PRIMARY KEY (id), 
	CONSTRAINT ck_appointment_mode_valid CHECK (mode IN ('domicile', 'bureau', 'telephone', 'visio', 'partenaire')), 
	CONSTRAINT ck_appointment_purpose_valid CHECK (purpose IN ('orientation', 'accompagnement', 'signature_contrat', 'suivi', 'bilan')), 
	CONSTRAINT ck_appointment_status_valid CHECK (status IN ('planned', 'seen', 'excused', 'revoked', 'noshow')), 
	CONSTRAINT ck_appointment_no_outcome_before_start CHECK (status NOT IN ('seen', 'noshow') OR (outcome_recorded_at IS NOT NULL AND outcome_recorded_at >= starts_at)), 
	CONSTRAINT ck_appointment_duration_range CHECK (duration_minutes > 0 AND duration_minutes <= 480), 
	CONSTRAINT fk_appointment_person_id_person FOREIGN KEY(person_id) REFERENCES person (id), 
	CONSTRAINT fk_appointment_referent_id_referent FOREIGN KEY(referent_id) REFERENCES referent (id)
);

-- index ix_appointment_person_start on appointment
CREATE INDEX ix_appointment_person_start ON appointment (person_id, starts_at);

-- index ix_appointment_referent_start on appointment
CREATE INDEX ix_appointment_referent_start ON appointment (referent_id, starts_at);

-- table audit_event on audit_event
CREATE TABLE audit_event (
	occurred_at VARCHAR(27) NOT NULL, 
	actor_id CHAR(32), 
	device_id VARCHAR(64), 
	person_id CHAR(32), 
	action VARCHAR(16) NOT NULL, 
	detail VARCHAR(255), 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_audit_event PRIMARY KEY (id), 
	CONSTRAINT ck_audit_event_action_valid CHECK (action IN ('open', 'change', 'export', 'print', 'reveal'))
);

-- index ix_audit_event_person on audit_event
CREATE INDEX ix_audit_event_person ON audit_event (person_id, occurred_at);

-- table barrier on barrier
CREATE TABLE barrier (
	person_id CHAR(32) NOT NULL, 
	theme VARCHAR(64) NOT NULL, 
	situations JSON NOT NULL, 
	target_code VARCHAR(128), 
	target_text VARCHAR(255), 
	status VARCHAR(16) NOT NULL, 
	severity INTEGER, 
	identified_on DATE NOT NULL, 
	closed_on DATE, 
	comment TEXT, 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_barrier PRIMARY KEY (id), 
	CONSTRAINT ck_barrier_status_valid CHECK (status IN ('not_addressed', 'identified', 'in_progress', 'lifted', 'abandoned')), 
	CONSTRAINT ck_barrier_dates_ordered CHECK (closed_on IS NULL OR closed_on >= identified_on), 
	CONSTRAINT ck_barrier_severity_range CHECK (severity IS NULL OR severity BETWEEN 1 AND 3), 
	CONSTRAINT fk_barrier_person_id_person FOREIGN KEY(person_id) REFERENCES person (id)
);

-- index ix_barrier_person_status on barrier
CREATE INDEX ix_barrier_person_status ON barrier (person_id, status);

-- index ix_barrier_theme_status on barrier
CREATE INDEX ix_barrier_theme_status ON barrier (theme, status, person_id);

-- table device_state on device_state
CREATE TABLE device_state (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	CONSTRAINT pk_device_state PRIMARY KEY ("key")
);

-- table note on note
CREATE TABLE note (
	person_id CHAR(32) NOT NULL, 
	author_id CHAR(32), 
	written_at VARCHAR(27) NOT NULL, 
	kind VARCHAR(24) NOT NULL, 
	text TEXT NOT NULL, 
	sensitive BOOLEAN NOT NULL, 
	supersedes_id CHAR(32), 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_note PRIMARY KEY (id), 
	CONSTRAINT ck_note_kind_valid CHECK (kind IN ('suivi', 'visite_domicile', 'appel', 'passation', 'incident')), 
	CONSTRAINT fk_note_author_id_referent FOREIGN KEY(author_id) REFERENCES referent (id), 
	CONSTRAINT fk_note_person_id_person FOREIGN KEY(person_id) REFERENCES person (id), 
	CONSTRAINT fk_note_supersedes_id_note FOREIGN KEY(supersedes_id) REFERENCES note (id)
);

-- index ix_note_person_written on note
CREATE INDEX ix_note_person_written ON note (person_id, written_at);

-- table outbox on outbox
CREATE TABLE outbox (
	seq INTEGER NOT NULL, 
	change_id CHAR(32) NOT NULL, 
	table_name VARCHAR(64) NOT NULL, 
	row_id CHAR(32) NOT NULL, 
	person_id CHAR(32), 
	op VARCHAR(8) NOT NULL, 
	fields JSON NOT NULL, 
	hlc VARCHAR(64) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	state VARCHAR(12) NOT NULL, 
	attempts INTEGER NOT NULL, 
	error_code VARCHAR(64), 
	error_message TEXT, 
	CONSTRAINT pk_outbox PRIMARY KEY (seq), 
	CONSTRAINT uq_outbox_change_id UNIQUE (change_id)
);

-- index ix_outbox_row on outbox
CREATE INDEX ix_outbox_row ON outbox (table_name, row_id);

-- index ix_outbox_state_seq on outbox
CREATE INDEX ix_outbox_state_seq ON outbox (state, seq);

-- table person on person
CREATE TABLE person (
	external_id VARCHAR(64), 
	caf_number VARCHAR(16), 
	france_travail_id VARCHAR(16), 
	title VARCHAR(8), 
	last_name VARCHAR(100) NOT NULL, 
	birth_name VARCHAR(100), 
	first_name VARCHAR(100) NOT NULL, 
	birth_date DATE, 
	phone VARCHAR(20), 
	email VARCHAR(255), 
	address VARCHAR(255), 
	postal_code VARCHAR(5), 
	city VARCHAR(100), 
	household VARCHAR(16), 
	children_count INTEGER, 
	rsa_status VARCHAR(40), 
	rights_opening_date DATE, 
	orientation VARCHAR(24), 
	contract_type VARCHAR(24), 
	contract_start DATE, 
	contract_end DATE, 
	follow_up_status VARCHAR(24) NOT NULL, 
	closed_on DATE, 
	closure_reason VARCHAR(24), 
	referent_id CHAR(32), 
	consent_given_on DATE, 
	information_given_on DATE, 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_person PRIMARY KEY (id), 
	CONSTRAINT ck_person_closure_reason_valid CHECK (closure_reason IS NULL OR closure_reason IN ('emploi', 'formation', 'demenagement', 'fin_droits', 'reorientation', 'autre')), 
	CONSTRAINT ck_person_contract_type_valid CHECK (contract_type IS NULL OR contract_type IN ('cer', 'ppae', 'cej', 'pacea', 'contrat_engagement', 'none')), 
	CONSTRAINT ck_person_exit_has_closure_date CHECK (follow_up_status <> 'sorti' OR closed_on IS NOT NULL), 
	CONSTRAINT ck_person_follow_up_status_valid CHECK (follow_up_status IN ('a_contacter', 'en_accompagnement', 'suspendu', 'sorti')), 
	CONSTRAINT ck_person_household_valid CHECK (household IS NULL OR household IN ('seul', 'couple')), 
	CONSTRAINT ck_person_orientation_valid CHECK (orientation IS NULL OR orientation IN ('social', 'socio_professional', 'professional')), 
	CONSTRAINT ck_person_rsa_status_valid CHECK (rsa_status IS NULL OR rsa_status IN ('demande_en_attente', 'refuse', 'droit_ouvert_versable', 'droit_ouvert_et_suspendu', 'droit_ouvert_versement_suspendu', 'clos')), 
	CONSTRAINT ck_person_title_valid CHECK (title IS NULL OR title IN ('M', 'MME')), 
	CONSTRAINT ck_person_children_count_range CHECK (children_count IS NULL OR (children_count >= 0 AND children_count <= 20)), 
	CONSTRAINT ck_person_contract_dates_ordered CHECK (contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start), 
	CONSTRAINT fk_person_referent_id_referent FOREIGN KEY(referent_id) REFERENCES referent (id), 
	CONSTRAINT uq_person_external_id UNIQUE (external_id)
);

-- index ix_person_live on person
CREATE INDEX ix_person_live ON person (id, deleted_at, follow_up_status);

-- index ix_person_referent_status on person
CREATE INDEX ix_person_referent_status ON person (referent_id, follow_up_status);

-- table person_summary on person_summary
CREATE TABLE "person_summary" (
	person_id CHAR(32) NOT NULL, 
	search_key TEXT NOT NULL, 
	last_contact_at VARCHAR(27), 
	next_appointment_at VARCHAR(27), 
	missed_not_rescheduled BOOLEAN NOT NULL, 
	outcome_pending_count INTEGER NOT NULL, 
	open_barrier_count INTEGER NOT NULL, 
	open_barrier_themes TEXT NOT NULL, 
	open_action_count INTEGER NOT NULL, 
	next_action_due DATE, 
	valid_until VARCHAR(27), 
	sort_name TEXT NOT NULL, 
	CONSTRAINT pk_person_summary PRIMARY KEY (person_id)
);

-- index ix_person_summary_last_contact on person_summary
CREATE INDEX ix_person_summary_last_contact ON person_summary (last_contact_at);

-- index ix_person_summary_next_appointment on person_summary
CREATE INDEX ix_person_summary_next_appointment ON person_summary (next_appointment_at);

-- index ix_person_summary_sort_name on person_summary
CREATE INDEX ix_person_summary_sort_name ON person_summary (sort_name, person_id);

-- index ix_person_summary_valid_until on person_summary
CREATE INDEX ix_person_summary_valid_until ON person_summary (valid_until);

-- table referent on referent
CREATE TABLE referent (
	username VARCHAR(100) NOT NULL, 
	first_name VARCHAR(100) NOT NULL, 
	last_name VARCHAR(100) NOT NULL, 
	email VARCHAR(255), 
	phone VARCHAR(20), 
	role VARCHAR(16) NOT NULL, 
	team_id CHAR(32), 
	structure_id CHAR(32), 
	active BOOLEAN NOT NULL, 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_referent PRIMARY KEY (id), 
	CONSTRAINT ck_referent_role_valid CHECK (role IN ('referent', 'supervisor', 'admin')), 
	CONSTRAINT fk_referent_structure_id_structure FOREIGN KEY(structure_id) REFERENCES structure (id), 
	CONSTRAINT fk_referent_team_id_team FOREIGN KEY(team_id) REFERENCES team (id), 
	CONSTRAINT uq_referent_username UNIQUE (username)
);

-- table referent_assignment on referent_assignment
CREATE TABLE referent_assignment (
	person_id CHAR(32) NOT NULL, 
	referent_id CHAR(32) NOT NULL, 
	started_at VARCHAR(27) NOT NULL, 
	ended_at VARCHAR(27), 
	handover_note TEXT, 
	assigned_by_id CHAR(32), 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_referent_assignment PRIMARY KEY (id), 
	CONSTRAINT ck_referent_assignment_dates_ordered CHECK (ended_at IS NULL OR ended_at >= started_at), 
	CONSTRAINT fk_referent_assignment_assigned_by_id_referent FOREIGN KEY(assigned_by_id) REFERENCES referent (id), 
	CONSTRAINT fk_referent_assignment_person_id_person FOREIGN KEY(person_id) REFERENCES person (id), 
	CONSTRAINT fk_referent_assignment_referent_id_referent FOREIGN KEY(referent_id) REFERENCES referent (id)
);

-- index ix_referent_assignment_referent on referent_assignment
CREATE INDEX ix_referent_assignment_referent ON referent_assignment (referent_id, ended_at);

-- index ux_referent_assignment_one_active on referent_assignment
CREATE UNIQUE INDEX ux_referent_assignment_one_active ON referent_assignment (person_id) WHERE ended_at IS NULL AND deleted_at IS NULL;

-- table structure on structure
CREATE TABLE structure (
	name VARCHAR(255) NOT NULL, 
	siret VARCHAR(14), 
	address VARCHAR(255), 
	postal_code VARCHAR(5), 
	city VARCHAR(100), 
	phone VARCHAR(20), 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_structure PRIMARY KEY (id)
);

-- table team on team
CREATE TABLE team (
	name VARCHAR(255) NOT NULL, 
	structure_id CHAR(32), 
	id CHAR(32) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	deleted_at VARCHAR(27), 
	CONSTRAINT pk_team PRIMARY KEY (id), 
	CONSTRAINT fk_team_structure_id_structure FOREIGN KEY(structure_id) REFERENCES structure (id)
);

