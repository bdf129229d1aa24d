<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>agenda</name>
    <message>
        <location filename="../../ui/views/agenda.py" line="89"/>
        <source>Agenda</source>
        <translation>Agenda</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="95"/>
        <source>+ Planifier un rendez-vous</source>
        <translation>+ Plan an appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="96"/>
        <source>Planifier un rendez-vous</source>
        <translation>Plan an appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="106"/>
        <source>Période précédente</source>
        <translation>Previous period</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="107"/>
        <source>Période précédente (Alt+←)</source>
        <translation>Previous period (Alt+←)</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="109"/>
        <source>Aujourd&apos;hui</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="112"/>
        <source>Période suivante</source>
        <translation>Next period</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="113"/>
        <source>Période suivante (Alt+→)</source>
        <translation>Next period (Alt+→)</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="123"/>
        <source>Jour</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="123"/>
        <source>Vue par jour</source>
        <translation>Day view</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="126"/>
        <source>Semaine</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="126"/>
        <source>Vue par semaine</source>
        <translation>Week view</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="166"/>
        <source>Déplacer</source>
        <translation>Move</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="167"/>
        <source>Déplacer le rendez-vous sélectionné</source>
        <translation>Move the selected appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="170"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="171"/>
        <source>Annuler le rendez-vous sélectionné</source>
        <translation>Cancel the selected appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="174"/>
        <source>Compte rendu</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="174"/>
        <source>Saisir le compte rendu</source>
        <translation>Record the report</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="176"/>
        <source>Ouvrir le dossier</source>
        <translation>Open the file</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="204"/>
        <source>Rendez-vous de la période</source>
        <translation>Appointments of the period</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="205"/>
        <source>Entrée saisit le compte rendu ; Ctrl+O ouvre le dossier.</source>
        <translation>Enter records the report; Ctrl+O opens the file.</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="209"/>
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="210"/>
        <source>Personne</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="211"/>
        <source>Objet</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="212"/>
        <source>Modalité</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="213"/>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="214"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="245"/>
        <location filename="../../ui/views/agenda.py" line="538"/>
        <source>Aucun rendez-vous sur cette période.</source>
        <translation>No appointment in this period.</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="392"/>
        <source>Semaine du {first} au {last}</source>
        <translation>Week of {first} to {last}</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="527"/>
        <source>Pas de rendez-vous</source>
        <translation>No appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="139"/>
        <source>Grille</source>
        <translation>Grid</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="140"/>
        <source>Affichage en grille horaire</source>
        <translation>Time grid view</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="143"/>
        <source>Liste</source>
        <translation>List</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="143"/>
        <source>Affichage en liste</source>
        <translation>List view</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="156"/>
        <location filename="../../ui/views/agenda.py" line="385"/>
        <location filename="../../ui/views/agenda.py" line="416"/>
        <source>Comptes rendus à saisir</source>
        <extracomment>what the agenda shows: appointments and the names of their persons.</extracomment>
        <translation>Reports to write</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="157"/>
        <source>Rendez-vous passés sans compte rendu</source>
        <translation>Past appointments without a report</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="158"/>
        <source>Rendez-vous passés sans compte rendu (Ctrl+R)</source>
        <translation>Past appointments without a report (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="178"/>
        <source>Référent</source>
        <translation>Referent</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="179"/>
        <source>Tous les référents</source>
        <translation>All referents</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="229"/>
        <source>Grille des rendez-vous</source>
        <translation>Appointment grid</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="232"/>
        <source>Flèches : rendez-vous précédent ou suivant ; Entrée : compte rendu ; double-clic sur un créneau libre : planifier.</source>
        <translation>Arrows: previous or next appointment; Enter: report; double-click a free slot: plan.</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="439"/>
        <source>{n} rendez-vous se chevauchent sur cette période (bordure rouge).</source>
        <translation>{n} appointments overlap in this period (red border).</translation>
    </message>
    <message>
        <location filename="../../ui/views/agenda.py" line="457"/>
        <source>Aucun compte rendu à saisir.</source>
        <translation>No report to write.</translation>
    </message>
</context>
<context>
    <name>alerts</name>
    <message>
        <location filename="../../ui/texts/alerts.py" line="40"/>
        <source>Sans contact depuis {days} jours</source>
        <translation>No contact for {days} days</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="44"/>
        <source>Rendez-vous manqué non replanifié</source>
        <translation>Missed appointment not rescheduled</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="46"/>
        <source>Action échue</source>
        <translation>Overdue action</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="48"/>
        <source>Compte rendu de rendez-vous à saisir</source>
        <translation>Appointment report to write</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="57"/>
        <source>{label} ({planned} prévues sur {floor})</source>
        <translation>{label} ({planned} planned of {floor})</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="65"/>
        <source>{label} : {date} (dépassé de {n} j)</source>
        <translation>{label}: {date} ({n} d overdue)</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="68"/>
        <source>{label} : {date}</source>
        <translation>{label}: {date}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="80"/>
        <source>{label} avant le {date} (aujourd&apos;hui)</source>
        <translation>{label} by {date} (today)</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="82"/>
        <source>{label} avant le {date} (dans 1 jour)</source>
        <translation>{label} by {date} (in 1 day)</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="84"/>
        <source>{label} avant le {date} (dans {n} jours)</source>
        <translation>{label} by {date} (in {n} days)</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="88"/>
        <source>{label} : échéance du {date} dépassée de 1 jour</source>
        <translation>{label}: due {date}, 1 day overdue</translation>
    </message>
    <message>
        <location filename="../../ui/texts/alerts.py" line="90"/>
        <source>{label} : échéance du {date} dépassée de {n} jours</source>
        <translation>{label}: due {date}, {n} days overdue</translation>
    </message>
</context>
<context>
    <name>appointments</name>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="85"/>
        <source>Déplacer le rendez-vous</source>
        <translation>Move the appointment</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="87"/>
        <source>Planifier un rendez-vous</source>
        <translation>Plan an appointment</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="89"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="99"/>
        <source>Personne *</source>
        <translation>Person *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="105"/>
        <source>Tapez un nom…</source>
        <translation>Type a name…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="106"/>
        <source>Personne</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="110"/>
        <source>Avec : {name}</source>
        <translation>With: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="116"/>
        <source>Date et heure *</source>
        <translation>Date and time *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="122"/>
        <source>Durée (minutes)</source>
        <translation>Duration (minutes)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="129"/>
        <source>Modalité *</source>
        <translation>Mode *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="134"/>
        <source>Objet *</source>
        <translation>Purpose *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="145"/>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="150"/>
        <source>Adresse de la visite à domicile, bureau, lien de visio…</source>
        <translation>Address of the home visit, office, video link…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="160"/>
        <source>Prévu jusqu&apos;ici le {when}.</source>
        <translation>Planned until now on {when}.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="170"/>
        <source>Un partenaire</source>
        <translation>A partner</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="306"/>
        <source>Choisissez une personne dans la liste.</source>
        <translation>Choose a person from the list.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="395"/>
        <source>• {when}–{end} : rendez-vous de {name} ({purpose}, {mode}), qui chevauche ce créneau</source>
        <translation>• {when}–{end}: {name}&apos;s appointment ({purpose}, {mode}) overlaps this slot</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="462"/>
        <source>Annuler le rendez-vous</source>
        <translation>Cancel the appointment</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="464"/>
        <source>Compte rendu du rendez-vous</source>
        <translation>Appointment report</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="480"/>
        <source>{when} · {mode} · {purpose}</source>
        <translation>{when} · {mode} · {purpose}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="509"/>
        <source>Issue du rendez-vous *</source>
        <translation>Outcome of the appointment *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="524"/>
        <source> (actuel)</source>
        <translation> (current)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="528"/>
        <source>Un rendez-vous à venir ne peut pas être marqué honoré ni absent.</source>
        <translation>A future appointment cannot be marked attended or missed.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="540"/>
        <source>Ce rendez-vous n&apos;a pas encore eu lieu : vous pouvez seulement l&apos;annuler.</source>
        <translation>This appointment has not taken place yet: you can only cancel it.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="554"/>
        <source>Compte rendu</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="556"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="565"/>
        <source>Suites à donner</source>
        <translation>Next steps</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="577"/>
        <source>Planifier le prochain rendez-vous le</source>
        <translation>Plan the next appointment on</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="578"/>
        <source>Planifier le prochain rendez-vous</source>
        <translation>Plan the next appointment</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="584"/>
        <source>Date du prochain rendez-vous</source>
        <translation>Date of the next appointment</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="598"/>
        <source>Aucun autre rendez-vous n&apos;est prévu : pensez à planifier le suivant.</source>
        <translation>No other appointment is planned: remember to plan the next one.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="603"/>
        <source>Un prochain rendez-vous est déjà planifié.</source>
        <translation>A next appointment is already planned.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="669"/>
        <source>Choisissez l&apos;issue.</source>
        <translation>Choose the outcome.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="131"/>
        <source>Choisir…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="164"/>
        <source>Qui demande le déplacement ? *</source>
        <translation>Who asked for the move? *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="168"/>
        <source>La personne</source>
        <translation>The person</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="169"/>
        <source>Le service (référent, structure)</source>
        <translation>The service (referent, organisation)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="318"/>
        <source>Choisissez dans la liste.</source>
        <translation>Choose from the list.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="328"/>
        <source>Indiquez qui demande le déplacement.</source>
        <translation>Say who asked for the move.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="392"/>
        <source>Attention, ce créneau est déjà pris :</source>
        <translation>Careful, this slot is already taken:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="409"/>
        <source>• {start} : un autre rendez-vous de cette personne ce jour-là</source>
        <translation>• {start}: another appointment of this person that day</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="415"/>
        <source>Enregistrer quand même, ou changez la date ou l&apos;heure.</source>
        <translation>Save anyway, or change the date or the time.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="421"/>
        <source>Enregistrer quand même</source>
        <translation>Save anyway</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="469"/>
        <source>Confirmer l&apos;annulation</source>
        <translation>Confirm the cancellation</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="472"/>
        <source>Ne pas annuler</source>
        <translation>Do not cancel</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="473"/>
        <source>Ne pas annuler et fermer</source>
        <translation>Do not cancel and close</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="507"/>
        <source>Qui demande l&apos;annulation ? *</source>
        <translation>Who asked for the cancellation? *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="513"/>
        <source>La personne (annulé, excusé)</source>
        <translation>The person (cancelled, excused)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/appointments.py" line="516"/>
        <source>Le service : référent ou structure (annulé par le service)</source>
        <translation>The service: referent or organisation (cancelled by the service)</translation>
    </message>
</context>
<context>
    <name>audit</name>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="54"/>
        <source>Ouverture du dossier</source>
        <translation>File opened</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="55"/>
        <source>Modification</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="56"/>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="57"/>
        <source>Impression</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="58"/>
        <source>Consultation d&apos;une note sensible</source>
        <translation>Sensitive note revealed</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="69"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="70"/>
        <source>Utilisateur</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="71"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="72"/>
        <location filename="../../ui/dialogs/audit_log.py" line="161"/>
        <source>Personne</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="73"/>
        <source>Appareil</source>
        <translation>Device</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="74"/>
        <source>Détail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="102"/>
        <source>serveur</source>
        <translation>server</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="109"/>
        <source>Personne effacée</source>
        <translation>Erased person</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="134"/>
        <source>Journal d&apos;audit de l&apos;équipe</source>
        <translation>Team audit log</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="151"/>
        <source>Qui a ouvert, modifié, exporté, imprimé ou consulté quel dossier de votre équipe. Le journal est tenu par le serveur départemental : il se consulte en ligne.</source>
        <translation>Who opened, changed, exported, printed or revealed which file of your team. The log is kept by the department&apos;s server: it is read online.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="164"/>
        <source>Toutes les personnes</source>
        <translation>All persons</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="173"/>
        <source>&amp;Personne</source>
        <translation>&amp;Person</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="174"/>
        <source>Utilisateur (identifiant)</source>
        <translation>User (username)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="176"/>
        <source>ex. ana.martin (tous si vide)</source>
        <translation>e.g. ana.martin (everyone if empty)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="177"/>
        <source>&amp;Utilisateur</source>
        <translation>&amp;User</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="178"/>
        <source>Type d&apos;événement</source>
        <translation>Event type</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="179"/>
        <source>Tous</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="182"/>
        <source>&amp;Type</source>
        <translation>&amp;Type</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="183"/>
        <source>Du</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="184"/>
        <source>Au</source>
        <translation>Until</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="185"/>
        <source>&amp;Du</source>
        <translation>&amp;From</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="186"/>
        <source>&amp;Au (inclus)</source>
        <translation>Un&amp;til (inclusive)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="188"/>
        <source>&amp;Rechercher</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="191"/>
        <source>&amp;Exporter en CSV…</source>
        <translation>&amp;Export as CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="194"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="207"/>
        <source>État de la recherche</source>
        <translation>Search status</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="210"/>
        <source>Lignes du journal d&apos;audit</source>
        <translation>Audit log lines</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="249"/>
        <source>La date de début ({a}) est après la date de fin ({b}).</source>
        <translation>The start date ({a}) is after the end date ({b}).</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="279"/>
        <source>{count} personnes de votre équipe s&apos;appellent « {name} » : choisissez la bonne dans la liste (date de naissance entre parenthèses).</source>
        <translation>{count} people of your team are called “{name}”: choose the right one in the list (birth date in brackets).</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="288"/>
        <source>Personne inconnue de votre équipe : « {name} ». Choisissez-la dans la liste (tapez le début du nom).</source>
        <translation>No one of your team is called “{name}”. Choose the person in the list (type the start of the name).</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="321"/>
        <source>Chargement du journal depuis le serveur…</source>
        <translation>Loading the log from the server…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="336"/>
        <source>Les {n} lignes les plus récentes : d&apos;autres répondent à ces filtres, affinez-les (dates, personne, utilisateur).</source>
        <translation>The {n} most recent lines: more match these filters, narrow them (dates, person, user).</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="342"/>
        <source>{n} ligne(s).</source>
        <translation>{n} line(s).</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="344"/>
        <source>Aucune ligne ne répond à ces filtres.</source>
        <translation>No line matches these filters.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/audit_log.py" line="382"/>
        <source>Exporter le journal d&apos;audit</source>
        <translation>Export the audit log</translation>
    </message>
</context>
<context>
    <name>barriers</name>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="47"/>
        <source>Nouveau frein</source>
        <translation>New barrier</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="53"/>
        <source>Thème *</source>
        <translation>Theme *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="56"/>
        <location filename="../../ui/dialogs/barriers.py" line="319"/>
        <source>— Choisir un thème —</source>
        <translation>— Choose a theme —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="57"/>
        <location filename="../../ui/dialogs/barriers.py" line="347"/>
        <location filename="../../ui/dialogs/barriers.py" line="485"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="62"/>
        <source>Situations constatées (cochez avec Espace)</source>
        <translation>Situations observed (tick with Space)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="70"/>
        <source>Objectif</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="74"/>
        <source>Objectif (texte libre)</source>
        <translation>Target (free text)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="81"/>
        <source>Intensité</source>
        <translation>Severity</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="86"/>
        <source>— Non évaluée —</source>
        <translation>— Not assessed —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="89"/>
        <location filename="../../ui/dialogs/barriers.py" line="240"/>
        <source>Commentaire</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="116"/>
        <source>Autre objectif (texte libre)…</source>
        <translation>Other target (free text)…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="117"/>
        <source>— À définir —</source>
        <translation>— To be defined —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="168"/>
        <source>Choisissez un thème.</source>
        <translation>Choose a theme.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="217"/>
        <source>Statut du frein</source>
        <translation>Barrier status</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="225"/>
        <source>objectif à définir</source>
        <translation>target to be defined</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="234"/>
        <source>Nouveau statut</source>
        <translation>New status</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="291"/>
        <source>Nouvelle action</source>
        <translation>New action</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="299"/>
        <source>Frein concerné</source>
        <translation>Barrier concerned</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="314"/>
        <source>— Sans frein associé —</source>
        <translation>— No barrier —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="317"/>
        <source>Thème de l&apos;action</source>
        <translation>Theme of the action</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="321"/>
        <source>Action *</source>
        <translation>Action *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="325"/>
        <source>Libellé de l&apos;action</source>
        <translation>Action label</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="329"/>
        <location filename="../../ui/dialogs/barriers.py" line="494"/>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="333"/>
        <source>Structure ou service qui porte l&apos;action</source>
        <translation>Organisation or service carrying out the action</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="345"/>
        <location filename="../../ui/dialogs/barriers.py" line="489"/>
        <source>Échéance</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="353"/>
        <source>Les actions proposées sont celles du référentiel du thème ; choisissez « Autre action » pour saisir la vôtre.</source>
        <translation>The actions offered are the theme&apos;s standard list; choose “Other action” to type your own.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="383"/>
        <source>Autre action (texte libre)…</source>
        <translation>Other action (free text)…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="384"/>
        <source>— Choisir une action —</source>
        <translation>— Choose an action —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="432"/>
        <source>Choisissez une action.</source>
        <translation>Choose an action.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="439"/>
        <source>Saisissez le libellé de l&apos;action.</source>
        <translation>Type the label of the action.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="476"/>
        <source>Suivi de l&apos;action</source>
        <translation>Action follow-up</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/barriers.py" line="507"/>
        <source>Résultat</source>
        <translation>Outcome</translation>
    </message>
</context>
<context>
    <name>calendar</name>
    <message>
        <location filename="../../ui/widgets/calendar_grid.py" line="82"/>
        <source>Compte rendu à saisir</source>
        <extracomment>fill, border and text of a block by what the appointment is now.</extracomment>
        <translation>Report to write</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/calendar_grid.py" line="89"/>
        <source>déplacé à la demande de la personne</source>
        <translation>moved at the person&apos;s request</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/calendar_grid.py" line="90"/>
        <source>déplacé à l&apos;initiative du service</source>
        <translation>moved by the service</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/calendar_grid.py" line="91"/>
        <source>déplacé à la demande d&apos;un partenaire</source>
        <translation>moved at a partner&apos;s request</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/calendar_grid.py" line="462"/>
        <source>chevauche un autre rendez-vous</source>
        <extracomment>what is painted, prepared once per :meth:`CalendarGrid.set_period` (not per paint)</extracomment>
        <translation>overlaps another appointment</translation>
    </message>
</context>
<context>
    <name>caseload</name>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="71"/>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="72"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="73"/>
        <source>Référent</source>
        <translation>Referent</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="269"/>
        <source>Prochain rendez-vous</source>
        <extracomment>emitted after each refresh with the number of rows and the seconds the query took</extracomment>
        <translation>Next appointment</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="76"/>
        <source>Dernier contact</source>
        <translation>Last contact</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="75"/>
        <source>Prochain RDV</source>
        <translation>Next appointment</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="77"/>
        <source>Freins ouverts</source>
        <translation>Open barriers</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="78"/>
        <source>Actions échues</source>
        <translation>Overdue actions</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="79"/>
        <source>Alertes</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="273"/>
        <source>Les alertes ne sont pas triables.</source>
        <translation>Alerts cannot be sorted.</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="290"/>
        <source>Chargement…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="294"/>
        <source>Aucune alerte</source>
        <translation>No alert</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="321"/>
        <source>Aucun</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="328"/>
        <source>jamais en {n} j</source>
        <translation>never in {n} d</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="391"/>
        <source>Action échue depuis le {date}</source>
        <translation>Action overdue since {date}</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="308"/>
        <location filename="../../ui/views/caseload.py" line="537"/>
        <location filename="../../ui/models/caseload_model.py" line="323"/>
        <source>Sans référent</source>
        <translation>No referent</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="353"/>
        <source>né(e) le {date}</source>
        <translation>born on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="359"/>
        <source>orientation {o}</source>
        <translation>{o} orientation</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="365"/>
        <source>référent : {name}</source>
        <translation>referent: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="374"/>
        <source>Aucun rendez-vous honoré en {n} jours de suivi : le plus urgent dans ce tri.</source>
        <translation>No appointment attended in {n} days of follow-up: the most urgent in this sort.</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="379"/>
        <source>Aucun rendez-vous honoré : le plus urgent dans ce tri.</source>
        <translation>No appointment attended: the most urgent in this sort.</translation>
    </message>
    <message>
        <location filename="../../ui/models/caseload_model.py" line="386"/>
        <source>{n} action(s) en cours</source>
        <translation>{n} action(s) in progress</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="200"/>
        <source>{caption} : {value}</source>
        <extracomment>the alerts column (the last, stretched) keeps at least this much: one chip and « +2 » how narrow a column may get: a name, a status, a day and time, a theme; and never narrower than its header&apos;s words (« Prochain RDV », « Overdue actions ») each column&apos;s width when there is room; narrowed together when there is not</extracomment>
        <translation>{caption}: {value}</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="240"/>
        <location filename="../../ui/views/caseload.py" line="458"/>
        <source>Mon portefeuille</source>
        <extracomment>the user asked to go back to the team dashboard from a drill-down list</extracomment>
        <translation>My caseload</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="247"/>
        <source>+ Nouvelle personne</source>
        <translation>+ New person</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="248"/>
        <source>Nouvelle personne</source>
        <translation>New person</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="250"/>
        <source>Ajouter une personne au portefeuille (Ctrl+N)</source>
        <translation>Add a person to the caseload (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="259"/>
        <source>personnes suivies</source>
        <translation>people followed</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="260"/>
        <source>à contacter</source>
        <translation>to contact</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="262"/>
        <source>sans contact depuis {n} j</source>
        <translation>no contact for {n} days</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="265"/>
        <source>RDV manqués à replanifier</source>
        <translation>missed appointments to reschedule</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="266"/>
        <source>avec une action échue</source>
        <translation>with an overdue action</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="267"/>
        <source>RDV dans les 7 jours</source>
        <translation>appointments in the next 7 days</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="279"/>
        <source>Rechercher une personne</source>
        <translation>Search for a person</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="280"/>
        <source>Nom, prénom, nom de naissance ou numéro CAF ; sans accents.</source>
        <translation>Last name, first name, birth name or CAF number; accents ignored.</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="284"/>
        <source>Rechercher : nom, prénom, n° CAF… (Ctrl+F)</source>
        <translation>Search: name, first name, CAF no… (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="288"/>
        <source>Effacer la recherche</source>
        <translation>Clear the search</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="295"/>
        <source>Filtrer par statut</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="299"/>
        <source>Statut : tous</source>
        <translation>Status: all</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="301"/>
        <source>Suivis (hors sortis)</source>
        <translation>Followed (not exited)</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="304"/>
        <source>Filtrer par référent</source>
        <translation>Filter by referent</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="307"/>
        <location filename="../../ui/views/caseload.py" line="534"/>
        <source>Référent : tous</source>
        <translation>Referent: all</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="312"/>
        <source>Filtrer par orientation</source>
        <translation>Filter by orientation</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="317"/>
        <source>Orientation : toutes</source>
        <translation>Orientation: all</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="319"/>
        <source>Filtrer par frein</source>
        <translation>Filter by barrier</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="320"/>
        <source>Frein : tous</source>
        <translation>Barrier: all</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="321"/>
        <source>Filtrer par alerte</source>
        <translation>Filter by alert</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="324"/>
        <source>Alerte : toutes</source>
        <translation>Alert: all</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="326"/>
        <source>Avec une alerte</source>
        <translation>With an alert</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="328"/>
        <source>Sans contact depuis {n} jours</source>
        <translation>No contact for {n} days</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="333"/>
        <source>RDV manqué à replanifier</source>
        <translation>Missed appointment to reschedule</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="334"/>
        <source>Action échue</source>
        <translation>Overdue action</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="335"/>
        <source>Rendez-vous dans 7 jours</source>
        <translation>Appointment within 7 days</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="350"/>
        <source>Effacer les filtres</source>
        <translation>Clear the filters</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="365"/>
        <source>← Tableau de bord</source>
        <translation>← Dashboard</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="375"/>
        <source>Liste des personnes suivies</source>
        <translation>List of the people followed</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="376"/>
        <source>Entrée ouvre le dossier ; cliquez sur un en-tête de colonne pour trier.</source>
        <translation>Enter opens the file; click a column header to sort.</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="415"/>
        <source>Aucune personne ne correspond à ces critères.</source>
        <translation>Nobody matches these criteria.</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="456"/>
        <source>Portefeuilles de l&apos;équipe</source>
        <translation>The team&apos;s caseloads</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="610"/>
        <source>{n} personne(s) affichée(s)</source>
        <translation>{n} person(s) shown</translation>
    </message>
    <message>
        <location filename="../../ui/views/caseload.py" line="613"/>
        <source>{n} personne(s). Entrée ouvre le dossier.</source>
        <translation>{n} person(s). Enter opens the file.</translation>
    </message>
</context>
<context>
    <name>conflicts</name>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="29"/>
        <source>Texte</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="30"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="31"/>
        <source>Date et heure</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="32"/>
        <source>Durée</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="33"/>
        <source>Modalité</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="34"/>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="35"/>
        <source>Compte rendu</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="36"/>
        <source>Suites à donner</source>
        <translation>Next steps</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="37"/>
        <source>Échéance</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="38"/>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="39"/>
        <source>Résultat</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="40"/>
        <source>Commentaire</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="48"/>
        <source>(vide)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="55"/>
        <source>Modifications concurrentes</source>
        <translation>Concurrent changes</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="64"/>
        <source>Ces champs ont été modifiés aussi par quelqu&apos;un d&apos;autre. La modification la plus récente a été retenue ; votre valeur reste dans l&apos;historique du serveur. Corrigez le dossier si la valeur retenue n&apos;est pas la bonne.</source>
        <translation>These fields were also changed by someone else. The most recent change was kept; your value stays in the server&apos;s history. Correct the file if the value kept is not the right one.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="74"/>
        <source>Liste des conflits</source>
        <translation>List of conflicts</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="77"/>
        <source>Dossier</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="78"/>
        <source>Champ</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="79"/>
        <source>Votre valeur</source>
        <translation>Your value</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="80"/>
        <source>Valeur retenue</source>
        <translation>Value kept</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="81"/>
        <source>Modifié aussi par</source>
        <translation>Also changed by</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="88"/>
        <source>un autre appareil</source>
        <translation>another device</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/conflicts.py" line="107"/>
        <location filename="../../ui/dialogs/conflicts.py" line="108"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>demo</name>
    <message>
        <location filename="../../ui/demo.py" line="88"/>
        <source>Démonstration : la phrase de passe est « {p} » (données fictives).</source>
        <extracomment>``factory(demo_root, port_wanted)``: the server of a demo directory.</extracomment>
        <translation>Demo: the passphrase is “{p}” (fictitious data).</translation>
    </message>
    <message>
        <location filename="../../ui/demo.py" line="118"/>
        <source>Démonstration</source>
        <translation>Demo</translation>
    </message>
    <message>
        <location filename="../../ui/demo.py" line="120"/>
        <source>Préparation du serveur départemental de démonstration (quelques secondes)…</source>
        <translation>Preparing the departmental demo server (a few seconds)…</translation>
    </message>
    <message>
        <location filename="../../ui/demo.py" line="165"/>
        <source>Le serveur de démonstration n&apos;a pas démarré ({detail}). Démonstration locale à la place.</source>
        <translation>The demo server did not start ({detail}). Local demo instead.</translation>
    </message>
    <message>
        <location filename="../../ui/demo.py" line="199"/>
        <source>Démonstration locale : données fictives.</source>
        <translation>Local demo: fictitious data.</translation>
    </message>
    <message>
        <location filename="../../ui/demo.py" line="201"/>
        <source>Démonstration (demo.referent) · vue du responsable : --demo --as responsable</source>
        <translation>Demo (demo.referent) · supervisor&apos;s view: --demo --as responsable</translation>
    </message>
    <message>
        <location filename="../../ui/demo.py" line="206"/>
        <source>Démonstration (demo.responsable, lecture seule)</source>
        <translation>Demo (demo.responsable, read only)</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <location filename="../../ui/dialogs/base.py" line="61"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/base.py" line="67"/>
        <location filename="../../ui/dialogs/partner_picker.py" line="108"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/base.py" line="69"/>
        <source>Annuler et fermer</source>
        <translation>Cancel and close</translation>
    </message>
</context>
<context>
    <name>directory</name>
    <message>
        <location filename="../../ui/views/directory.py" line="38"/>
        <location filename="../../ui/views/directory.py" line="76"/>
        <source>Annuaire des partenaires</source>
        <translation>Partner directory</translation>
    </message>
    <message>
        <location filename="../../ui/views/directory.py" line="40"/>
        <source>Services d&apos;insertion du département (data·inclusion), consultables hors ligne.</source>
        <translation>The department&apos;s insertion services (data·inclusion), available offline.</translation>
    </message>
    <message>
        <location filename="../../ui/views/directory.py" line="49"/>
        <source>← Retour au dossier</source>
        <translation>← Back to the file</translation>
    </message>
    <message>
        <location filename="../../ui/views/directory.py" line="58"/>
        <location filename="../../ui/dialogs/partner_picker.py" line="112"/>
        <source>Imprimer la fiche…</source>
        <translation>Print the sheet…</translation>
    </message>
    <message>
        <location filename="../../ui/views/directory.py" line="59"/>
        <location filename="../../ui/dialogs/partner_picker.py" line="118"/>
        <source>Imprimer la fiche du service pour la personne</source>
        <translation>Print the service&apos;s sheet for the person</translation>
    </message>
    <message>
        <location filename="../../ui/views/directory.py" line="60"/>
        <source>Un PDF à remettre ou à envoyer à la personne (Ctrl+P) ; enregistré où vous le choisissez.</source>
        <translation>A PDF to hand or send to the person (Ctrl+P); saved where you choose.</translation>
    </message>
    <message>
        <location filename="../../ui/views/directory.py" line="101"/>
        <source>Pour {name}</source>
        <translation>For {name}</translation>
    </message>
    <message>
        <location filename="../../ui/views/directory.py" line="126"/>
        <source>{n} services d&apos;insertion du département (data·inclusion), consultables hors ligne.</source>
        <translation>{n} insertion services of the department (data·inclusion), available offline.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="65"/>
        <source>{km} km</source>
        <extracomment>(radius in km; None: the commune only; 0: every distance, nearest first)</extracomment>
        <translation>{km} km</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="105"/>
        <source>Rechercher un service</source>
        <translation>Search for a service</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="106"/>
        <source>Nom, structure, mot-clé ; les accents sont ignorés.</source>
        <translation>Name, organisation, keyword; accents are ignored.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="109"/>
        <source>Nom, structure, mot-clé…</source>
        <translation>Name, organisation, keyword…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="113"/>
        <source>Thème du frein</source>
        <translation>Barrier theme</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="114"/>
        <source>Tous les thèmes</source>
        <translation>All themes</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="119"/>
        <location filename="../../ui/widgets/directory_search.py" line="146"/>
        <source>Commune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="120"/>
        <source>Une commune de l&apos;annuaire, par son nom ou son code INSEE.</source>
        <translation>A municipality of the directory, by its name or its INSEE code.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="122"/>
        <source>Commune (toutes)</source>
        <translation>Municipality (all)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="129"/>
        <location filename="../../ui/widgets/directory_search.py" line="147"/>
        <location filename="../../ui/widgets/directory_search.py" line="516"/>
        <source>Distance</source>
        <translation>Distance</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="132"/>
        <source>Dans la commune</source>
        <translation>In the municipality</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="134"/>
        <source>Toutes distances, au plus près</source>
        <translation>Any distance, nearest first</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="136"/>
        <source>À {km} km au plus</source>
        <translation>Within {km} km</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="140"/>
        <source>Ouvert maintenant</source>
        <translation>Open now</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="141"/>
        <source>Seulement les services ouverts maintenant</source>
        <translation>Only the services open now</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="144"/>
        <source>Recherche</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="145"/>
        <source>Thème (frein)</source>
        <translation>Theme (barrier)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="175"/>
        <source>Services trouvés</source>
        <translation>Services found</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="176"/>
        <source>Flèches pour parcourir ; le détail s&apos;affiche à droite.</source>
        <translation>Arrow keys to browse; the detail is shown on the right.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="184"/>
        <source>Détail du service</source>
        <translation>Service detail</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="239"/>
        <source>L&apos;annuaire des partenaires n&apos;a pas encore été reçu sur cet ordinateur. Il arrive avec la synchronisation : connectez-vous au réseau puis appuyez sur F5 (Synchroniser).</source>
        <translation>The partner directory has not been received on this computer yet. It comes with the synchronisation: connect to the network, then press F5 (Synchronise).</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="249"/>
        <source>L&apos;annuaire du département est vide : aucun service n&apos;a encore été importé sur le serveur. Parlez-en à l&apos;administrateur du département.</source>
        <translation>The department&apos;s directory is empty: no service has been imported on the server yet. Ask the department&apos;s administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="280"/>
        <source>La commune de la personne n&apos;est pas dans l&apos;annuaire : choisissez une commune pour trier par distance.</source>
        <translation>The person&apos;s municipality is not in the directory: choose a municipality to sort by distance.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="335"/>
        <source>La recherche est trop longue ({n} caractères ; {max} au plus) : saisissez quelques mots.</source>
        <translation>The search is too long ({n} characters; {max} at most): type a few words.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="398"/>
        <source>Aucun service ne correspond. Retirez un mot ou un filtre, ou élargissez la distance.</source>
        <translation>No service matches. Remove a word or a filter, or widen the distance.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="409"/>
        <source>{shown} premiers services sur {n}</source>
        <translation>first {shown} services of {n}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="413"/>
        <source>{n} service(s)</source>
        <translation>{n} service(s)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="415"/>
        <source> · distances depuis {commune}</source>
        <translation> · distances from {commune}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="419"/>
        <source> · « ouvert maintenant » parmi les premiers résultats</source>
        <translation> · “open now” among the first results</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="432"/>
        <source>horaires non renseignés</source>
        <translation>opening hours not given</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="482"/>
        <source>Choisissez un service pour voir son détail.</source>
        <translation>Choose a service to see its detail.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="500"/>
        <source>&lt;b&gt;{caption}&lt;/b&gt; : {value}</source>
        <translation>&lt;b&gt;{caption}&lt;/b&gt;: {value}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="503"/>
        <source>non renseignés</source>
        <translation>not given</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="515"/>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="517"/>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="518"/>
        <source>Courriel</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="519"/>
        <source>Horaires</source>
        <translation>Opening hours</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="520"/>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="521"/>
        <source>Comment mobiliser</source>
        <translation>How to refer</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="523"/>
        <source>Frais</source>
        <translation>Fees</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="527"/>
        <source>Volume horaire</source>
        <translation>Weekly hours</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="61"/>
        <source>Enregistrer la fiche du service</source>
        <translation>Save the service&apos;s sheet</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="66"/>
        <source>Fiche enregistrée : {path}.</source>
        <translation>Sheet saved: {path}.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="68"/>
        <source>Elle porte le nom de la personne : supprimez-la une fois remise.</source>
        <translation>It bears the person&apos;s name: delete it once handed over.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="86"/>
        <source>Choisir un partenaire dans l&apos;annuaire</source>
        <translation>Choose a partner in the directory</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="99"/>
        <source>Choisir ce service</source>
        <translation>Choose this service</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="181"/>
        <source>Service de l&apos;annuaire : {name}</source>
        <translation>Directory service: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="184"/>
        <source>Contact : {text}</source>
        <translation>Contact: {text}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="187"/>
        <source>Mobilisation : {text}</source>
        <translation>How to refer: {text}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="190"/>
        <location filename="../../ui/widgets/directory_search.py" line="528"/>
        <source>{h} h par semaine</source>
        <translation>{h} h a week</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="196"/>
        <source>à {km} du domicile</source>
        <translation>{km} from home</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="224"/>
        <source>Choisir dans l&apos;annuaire…</source>
        <translation>Choose in the directory…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="228"/>
        <source>Choisir le partenaire dans l&apos;annuaire</source>
        <translation>Choose the partner in the directory</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="229"/>
        <source>Les services du thème, les plus proches de la personne.</source>
        <translation>The theme&apos;s services, nearest to the person first.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/partner_picker.py" line="271"/>
        <source>Service de l&apos;annuaire introuvable sur cet ordinateur (retiré de l&apos;annuaire ou pas encore reçu).</source>
        <translation>Directory service not found on this computer (removed from the directory or not received yet).</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="535"/>
        <source>Publics</source>
        <translation>Audiences</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="539"/>
        <source>Accueil</source>
        <translation>Reception</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="543"/>
        <source>Thématiques</source>
        <translation>Topics</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/directory_search.py" line="548"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="18"/>
        <source>lun.</source>
        <comment>lundi, abrégé dans les horaires</comment>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="19"/>
        <source>mar.</source>
        <comment>mardi, abrégé dans les horaires</comment>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="20"/>
        <source>mer.</source>
        <comment>mercredi, abrégé dans les horaires</comment>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="21"/>
        <source>jeu.</source>
        <comment>jeudi, abrégé dans les horaires</comment>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="22"/>
        <source>ven.</source>
        <comment>vendredi, abrégé dans les horaires</comment>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="23"/>
        <source>sam.</source>
        <comment>samedi, abrégé dans les horaires</comment>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="24"/>
        <source>dim.</source>
        <comment>dimanche, abrégé dans les horaires</comment>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="25"/>
        <source>jours fériés</source>
        <translation>public holidays</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="26"/>
        <source>fermé</source>
        <comment>horaires : fermé ce jour-là</comment>
        <translation>closed</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="32"/>
        <source>lundi</source>
        <translation>Monday</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="33"/>
        <source>mardi</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="34"/>
        <source>mercredi</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="35"/>
        <source>jeudi</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="36"/>
        <source>vendredi</source>
        <translation>Friday</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="37"/>
        <source>samedi</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="38"/>
        <source>dimanche</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="49"/>
        <source> ;</source>
        <comment>séparateur des plages d&apos;horaires</comment>
        <translation>;</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="60"/>
        <source>Ouvert</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="60"/>
        <source>Fermé</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="65"/>
        <source>Ouvert — ferme à {time}</source>
        <translation>Open — closes at {time}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="66"/>
        <source>Fermé — ouvre à {time}</source>
        <translation>Closed — opens at {time}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="69"/>
        <source>Ouvert — ferme {day} à {time}</source>
        <translation>Open — closes {day} at {time}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="70"/>
        <source>Fermé — ouvre {day} à {time}</source>
        <translation>Closed — opens {day} at {time}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="94"/>
        <source>par {who}</source>
        <comment>mobilisable par…</comment>
        <translation>by {who}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/directory.py" line="95"/>
        <source> ou </source>
        <comment>mobilisable par l&apos;un ou l&apos;autre</comment>
        <translation> or </translation>
    </message>
</context>
<context>
    <name>documents</name>
    <message>
        <location filename="../../ui/documents.py" line="177"/>
        <source>Enregistrer le contrat d&apos;engagement</source>
        <translation>Save the engagement contract</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="256"/>
        <source>Contrat d&apos;engagement et plan d&apos;action, à signer (PDF)…</source>
        <translation>Engagement contract and action plan, to sign (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="301"/>
        <source>Demander l&apos;effacement du dossier (RGPD)…</source>
        <translation>Request the erasure of the file (GDPR)…</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="106"/>
        <source>Demander l&apos;effacement du dossier</source>
        <extracomment>the document was written: its path a French sentence (rendering refused, disk full…) an erasure request was recorded: the sentence to show</extracomment>
        <translation>Request the erasure of the file</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="107"/>
        <source>Effacement du dossier de {name} : motif de la demande (par exemple « demande écrite de la personne du 28/11 »). Un administrateur décidera ; le dossier reste consultable d&apos;ici là.</source>
        <translation>Erasure of {name}&apos;s file: reason for the request (for instance “written request from the person, 28/11”). An administrator will decide; the file stays available until then.</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="123"/>
        <source>Demande d&apos;effacement enregistrée : elle sera transmise au serveur à la prochaine synchronisation, où un administrateur la traitera.</source>
        <translation>Erasure request recorded: it will reach the server at the next synchronisation, where an administrator will process it.</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="163"/>
        <source>Enregistrer les données (droit d&apos;accès, JSON)</source>
        <translation>Save the data (right of access, JSON)</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="259"/>
        <source>Données du dossier pour un programme (droit d&apos;accès, JSON)…</source>
        <translation>The file&apos;s data for a program (right of access, JSON)…</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="150"/>
        <source>Enregistrer le dossier complet (droit d&apos;accès)</source>
        <translation>Save the complete file (right of access)</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="191"/>
        <source>Enregistrer la convocation</source>
        <translation>Save the convocation letter</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="205"/>
        <source>Enregistrer le compte rendu</source>
        <translation>Save the visit summary</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="218"/>
        <source>Enregistrer le rendez-vous pour l&apos;agenda de la personne</source>
        <translation>Save the appointment for the person&apos;s calendar</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="231"/>
        <source>Exporter l&apos;agenda</source>
        <translation>Export the agenda</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="254"/>
        <source>Dossier complet (droit d&apos;accès, PDF)…</source>
        <translation>Complete file (right of access, PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="262"/>
        <source>Convocation au rendez-vous (PDF)…</source>
        <translation>Convocation letter for the appointment (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="263"/>
        <source>Compte rendu du rendez-vous (PDF)…</source>
        <translation>Summary of the appointment (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="265"/>
        <source>Rendez-vous pour l&apos;agenda de la personne (.ics)…</source>
        <translation>Appointment for the person&apos;s calendar (.ics)…</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="316"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="322"/>
        <source>Documents à imprimer ou exporter</source>
        <translation>Documents to print or export</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="323"/>
        <source>Dossier complet, convocation, compte rendu ou rendez-vous pour l&apos;agenda</source>
        <translation>Complete file, convocation letter, visit summary or appointment for a calendar</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="339"/>
        <source>Document enregistré : {path}. Il contient des données personnelles : supprimez-le une fois remis.</source>
        <translation>Document saved: {path}. It holds personal data: delete it once handed over.</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="382"/>
        <source>Exporter (.ics)…</source>
        <translation>Export (.ics)…</translation>
    </message>
    <message>
        <location filename="../../ui/documents.py" line="383"/>
        <source>Exporter les rendez-vous de la période pour Outlook ou Thunderbird</source>
        <translation>Export the period&apos;s appointments for Outlook or Thunderbird</translation>
    </message>
</context>
<context>
    <name>fields</name>
    <message>
        <location filename="../../ui/widgets/fields.py" line="156"/>
        <location filename="../../ui/widgets/fields.py" line="217"/>
        <source>Calendrier</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="204"/>
        <source>ex. {example}</source>
        <translation>e.g. {example}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="209"/>
        <source>JJ/MM/AAAA</source>
        <translation>DD/MM/YYYY</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="211"/>
        <source>Tapez la date en entier : 15012027, 15/01/2027, 15/01/27 ou 15 janvier 2027. F4 ouvre le calendrier.</source>
        <translation>Type the whole date: 15012027, 15/01/2027, 15/01/27 or 15 January 2027. F4 opens the calendar.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="218"/>
        <source>Choisir dans le calendrier (F4)</source>
        <translation>Pick in the calendar (F4)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="223"/>
        <source>Ouvrir le calendrier</source>
        <translation>Open the calendar</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="235"/>
        <source>Date impossible : le {text} n&apos;existe pas dans le calendrier.</source>
        <translation>Impossible date: {text} does not exist in the calendar.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="239"/>
        <source>Date illisible : écrivez-la par exemple {example}, {digits} ou {words}.</source>
        <translation>Unreadable date: write it for example {example}, {digits} or {words}.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="245"/>
        <source>15 janvier 2027</source>
        <translation>15 January 2027</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="315"/>
        <source>HH:MM</source>
        <translation>HH:MM</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="316"/>
        <source>Heure : 14:30, 14h30, 1430 ou 14.</source>
        <translation>Time: 14:30, 14h30, 1430 or 14.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="324"/>
        <source>Heure invalide : écrivez-la par exemple 14:30.</source>
        <translation>Invalid time: write it for example 14:30.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="353"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="355"/>
        <source>Heure</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="371"/>
        <source>Indiquez la date.</source>
        <translation>Enter the date.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="375"/>
        <source>Indiquez l&apos;heure.</source>
        <translation>Enter the time.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/fields.py" line="300"/>
        <source>Nombre entier attendu.</source>
        <translation>Whole number expected.</translation>
    </message>
</context>
<context>
    <name>first</name>
    <message>
        <location filename="../../ui/views/first_start.py" line="122"/>
        <source>Bienvenue dans SPIE</source>
        <translation>Welcome to SPIE</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="125"/>
        <source>Votre portefeuille sera sur cet ordinateur, chiffré, et utilisable sans réseau. Il se synchronise avec le serveur de votre département dès que la connexion le permet.</source>
        <translation>Your caseload will be on this computer, encrypted, and usable without a network. It syncs with your department&apos;s server whenever the connection allows.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="135"/>
        <location filename="../../ui/views/first_start.py" line="136"/>
        <source>Me connecter au serveur de mon département</source>
        <translation>Connect to my department&apos;s server</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="140"/>
        <location filename="../../ui/views/first_start.py" line="142"/>
        <source>Découvrir l&apos;application avec des données de démonstration</source>
        <translation>Discover the application with demo data</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="152"/>
        <source>Adresse du serveur</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="157"/>
        <source>Fournie par votre administrateur, par exemple https://spie.departement.fr</source>
        <translation>Provided by your administrator, for example https://spie.departement.fr</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="163"/>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="167"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="171"/>
        <source>Il n&apos;est jamais enregistré sur cet ordinateur.</source>
        <translation>It is never stored on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="177"/>
        <source>La synchronisation n&apos;est pas disponible dans cette version : seule la démonstration locale est proposée.</source>
        <translation>Sync is not available in this version: only the local demo is offered.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="186"/>
        <source>150 personnes fictives, sur cet ordinateur uniquement. Rien n&apos;est envoyé.</source>
        <translation>150 fictitious people, on this computer only. Nothing is sent.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="195"/>
        <source>Continuer</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="221"/>
        <source>Indiquez l&apos;adresse du serveur.</source>
        <translation>Enter the server address.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="227"/>
        <source>Indiquez votre identifiant.</source>
        <translation>Enter your username.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="233"/>
        <source>Indiquez votre mot de passe.</source>
        <translation>Enter your password.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="249"/>
        <source>Protéger cet ordinateur</source>
        <translation>Protect this computer</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="252"/>
        <source>Choisissez une phrase de passe : elle chiffre les données de vos accompagnements sur ce poste et vous sera demandée à chaque ouverture et après chaque verrouillage. Elle ne peut pas être récupérée si vous l&apos;oubliez.</source>
        <translation>Choose a passphrase: it encrypts the data of the people you follow on this computer and will be asked at every start and after every lock. It cannot be recovered if you forget it.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="266"/>
        <source>Retour</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="268"/>
        <source>Créer le coffre chiffré</source>
        <translation>Create the encrypted vault</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="283"/>
        <source>Création du coffre chiffré…</source>
        <translation>Creating the encrypted vault…</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="306"/>
        <source>Préparation</source>
        <translation>Preparing</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="310"/>
        <source>Progression</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="315"/>
        <source>Modifier l&apos;adresse ou l&apos;identifiant</source>
        <translation>Change the address or username</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="318"/>
        <source>Ouvrir mon portefeuille</source>
        <translation>Open my caseload</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="339"/>
        <source>Données de démonstration</source>
        <translation>Demo data</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="340"/>
        <source>Création du portefeuille de démonstration…</source>
        <translation>Creating the demo caseload…</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="350"/>
        <source>Première synchronisation</source>
        <translation>First sync</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="351"/>
        <source>Connexion au serveur…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="359"/>
        <source>Création du portefeuille de démonstration… {p} %</source>
        <translation>Creating the demo caseload… {p} %</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="369"/>
        <source>{n} personnes fictives sont prêtes.</source>
        <translation>{n} fictitious people are ready.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="387"/>
        <source>Connecté en tant que {user}. Téléchargement du portefeuille…</source>
        <translation>Logged in as {user}. Downloading the caseload…</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="404"/>
        <source>Téléchargement…</source>
        <translation>Downloading…</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="413"/>
        <source>Portefeuille reçu : {n} modification(s) appliquée(s).</source>
        <translation>Caseload received: {n} change(s) applied.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="426"/>
        <source>Vous pourrez synchroniser plus tard depuis la barre d&apos;état.</source>
        <translation>You can sync later from the status bar.</translation>
    </message>
    <message>
        <location filename="../../ui/views/first_start.py" line="443"/>
        <source>Étape {n} sur 3</source>
        <translation>Step {n} of 3</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <location filename="../../ui/formatting.py" line="80"/>
        <source>aujourd&apos;hui {time}</source>
        <translation>today {time}</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="82"/>
        <source>demain {time}</source>
        <translation>tomorrow {time}</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="84"/>
        <source>hier {time}</source>
        <translation>yesterday {time}</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="103"/>
        <source>jamais</source>
        <translation>never</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="107"/>
        <source>aujourd&apos;hui</source>
        <translation>today</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="109"/>
        <source>hier</source>
        <translation>yesterday</translation>
    </message>
    <message>
        <location filename="../../ui/formatting.py" line="110"/>
        <source>il y a {days} jours</source>
        <translation>{days} days ago</translation>
    </message>
</context>
<context>
    <name>handover</name>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="54"/>
        <source>{name} ({n} personnes suivies)</source>
        <translation>{name} ({n} persons followed)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="74"/>
        <source>Départ d&apos;un référent : confier toutes ses personnes</source>
        <translation>A referent leaving: hand over all their persons</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="76"/>
        <source>Confier à un autre référent</source>
        <translation>Hand over to another referent</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="78"/>
        <source>Demander la passation</source>
        <translation>Request the handover</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="94"/>
        <source>Référents qui reprennent le suivi :</source>
        <translation>Referents taking over:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="97"/>
        <source>Référents qui reprennent le suivi</source>
        <translation>Referents taking over</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="98"/>
        <source>Cochez les référents entre qui répartir les personnes.</source>
        <translation>Tick the referents to share the persons among.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="103"/>
        <source>Répartir selon les portefeuilles</source>
        <translation>Share by caseload size</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="107"/>
        <source>Chaque personne va au référent coché qui suit le moins de personnes.</source>
        <translation>Each person goes to the ticked referent who follows the fewest persons.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="119"/>
        <source>Répartition proposée</source>
        <translation>Proposed split</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="120"/>
        <source>Une ligne par personne ; changez le référent si besoin.</source>
        <translation>One row per person; change the referent if needed.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="123"/>
        <location filename="../../ui/dialogs/handover.py" line="348"/>
        <source>Personne</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="123"/>
        <source>Nouveau référent</source>
        <translation>New referent</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="132"/>
        <source>Note de passation :</source>
        <translation>Handover note:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="135"/>
        <source>Note de passation</source>
        <translation>Handover note</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="136"/>
        <source>Le nouveau référent la lit en premier dans le journal.</source>
        <translation>The new referent reads it first in the journal.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="143"/>
        <source>La passation est décidée par le serveur à la prochaine synchronisation (même hors ligne, la demande est conservée). Le dossier passe alors au nouveau référent, avec cette note en tête du journal.</source>
        <translation>The server decides the handover at the next sync (offline, the request is kept). The file then goes to the new referent, with this note at the top of the journal.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="186"/>
        <source>{n} personne(s) à confier.</source>
        <translation>{n} person(s) to hand over.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="193"/>
        <source>Aucun référent actif de l&apos;équipe ne peut reprendre ces personnes.</source>
        <translation>No active referent of the team can take these persons over.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="223"/>
        <source>Nouveau référent de {name}</source>
        <translation>New referent of {name}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="276"/>
        <source>En attente du serveur</source>
        <translation>Waiting for the server</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="278"/>
        <source>Faite</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="279"/>
        <source>Refusée : {reason}</source>
        <translation>Refused: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="289"/>
        <source>arrivée aujourd&apos;hui</source>
        <translation>arrived today</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="291"/>
        <source>en attente depuis 1 jour</source>
        <translation>waiting for 1 day</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="292"/>
        <source>en attente depuis {days} jours</source>
        <translation>waiting for {days} days</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="302"/>
        <source>Passations</source>
        <translation>Handovers</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="323"/>
        <source>Personnes de l&apos;équipe qu&apos;aucun référent actif ne suit (importées sans référent, ou dont le compte du référent a été fermé), la plus ancienne d&apos;abord. Sélectionnez-en une ou plusieurs et confiez-les.</source>
        <translation>People of the team whom no active referent follows (imported without a referent, or whose referent&apos;s account was closed), the longest waiting first. Select one or more and hand them over.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="333"/>
        <location filename="../../ui/dialogs/handover.py" line="340"/>
        <source>Personnes sans référent</source>
        <translation>Persons without a referent</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="336"/>
        <source>Confier la sélection…</source>
        <translation>Hand over the selection…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="343"/>
        <source>Passations demandées depuis cet appareil</source>
        <translation>Handovers requested from this device</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="347"/>
        <source>Demandée le</source>
        <translation>Requested on</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="349"/>
        <source>De</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="350"/>
        <source>À</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="351"/>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="357"/>
        <source>Passations demandées</source>
        <translation>Requested handovers</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="361"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="381"/>
        <source>jamais affectée</source>
        <translation>never assigned</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="383"/>
        <source>compte de {name} fermé</source>
        <translation>{name}&apos;s account closed</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="388"/>
        <source>passation en attente</source>
        <translation>handover pending</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="391"/>
        <source>Dans la file depuis le {date}</source>
        <translation>In the queue since {date}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/handover.py" line="398"/>
        <source>Personnes sans référent ({n})</source>
        <translation>Persons without a referent ({n})</translation>
    </message>
</context>
<context>
    <name>identity</name>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="36"/>
        <source>Identité</source>
        <translation>Identity</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="38"/>
        <source>Civilité</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="39"/>
        <source>Nom *</source>
        <translation>Last name *</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="40"/>
        <source>Prénom *</source>
        <translation>First name *</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="41"/>
        <source>Nom de naissance</source>
        <translation>Birth name</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="42"/>
        <source>Date de naissance</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="46"/>
        <source>Coordonnées</source>
        <translation>Contact details</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="48"/>
        <source>Téléphone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="49"/>
        <source>Courriel</source>
        <translation>Email</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="50"/>
        <source>Adresse</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="51"/>
        <source>Code postal</source>
        <translation>Postcode</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="52"/>
        <source>Commune</source>
        <translation>Town</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="56"/>
        <source>Situation</source>
        <translation>Situation</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="60"/>
        <source>Composition du foyer</source>
        <translation>Household</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="65"/>
        <source>Enfants à charge</source>
        <translation>Dependent children</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="66"/>
        <source>Droit RSA</source>
        <translation>RSA entitlement</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="69"/>
        <source>Ouverture des droits</source>
        <translation>Rights opened on</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="74"/>
        <source>N° allocataire CAF</source>
        <translation>CAF number</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="77"/>
        <source>Identifiant France Travail</source>
        <translation>France Travail ID</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="85"/>
        <source>Accompagnement</source>
        <translation>Support</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="89"/>
        <source>Statut de l&apos;accompagnement</source>
        <translation>Support status</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="94"/>
        <source>Orientation</source>
        <translation>Orientation</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="95"/>
        <source>Contrat</source>
        <translation>Contract</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="96"/>
        <source>Début du contrat</source>
        <translation>Contract start</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="97"/>
        <source>Fin du contrat</source>
        <translation>Contract end</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="98"/>
        <source>Date de sortie</source>
        <translation>Exit date</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="101"/>
        <source>Motif de sortie</source>
        <translation>Exit reason</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="108"/>
        <source>Consentement recueilli le</source>
        <translation>Consent given on</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="115"/>
        <source>Information RGPD donnée le</source>
        <translation>GDPR information given on</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="120"/>
        <source>Identifiant départemental</source>
        <translation>Department ID</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="195"/>
        <source>— Non renseigné —</source>
        <translation>— Not given —</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/identity_form.py" line="305"/>
        <source>Ce champ est obligatoire.</source>
        <translation>This field is required.</translation>
    </message>
</context>
<context>
    <name>journal</name>
    <message>
        <location filename="../../ui/texts/journal.py" line="39"/>
        <source>Orientation</source>
        <translation>Orientation</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="40"/>
        <source>Contrat</source>
        <translation>Contract</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="41"/>
        <source>Fin d&apos;accompagnement</source>
        <translation>End of support</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="42"/>
        <source>Manquement</source>
        <translation>Breach</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="59"/>
        <source>Frein {status} — {theme}</source>
        <translation>Barrier {status} — {theme}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="62"/>
        <source>Frein identifié — {theme}</source>
        <translation>Barrier identified — {theme}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="67"/>
        <source>Action {status} — {action}</source>
        <translation>Action {status} — {action}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="74"/>
        <source>Référent : {name}</source>
        <translation>Referent: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="78"/>
        <source>Orientation — {track}</source>
        <translation>Orientation — {track}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="82"/>
        <source>Demande de réorientation — {track}</source>
        <translation>Reorientation request — {track}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="86"/>
        <source>{type} — version {version} ({state})</source>
        <translation>{type} — version {version} ({state})</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="92"/>
        <source>Fin d&apos;accompagnement — {reason}</source>
        <translation>End of support — {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="95"/>
        <source>Manquement — {kind}</source>
        <translation>Breach — {kind}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="114"/>
        <source>échéance {date}</source>
        <translation>due {date}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="125"/>
        <source>notifiée le {date}</source>
        <translation>notified on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="134"/>
        <source>du {start} au {end}</source>
        <translation>from {start} to {end}</translation>
    </message>
</context>
<context>
    <name>lock</name>
    <message>
        <location filename="../../ui/lock.py" line="191"/>
        <source>Qt : mise en veille de l&apos;application</source>
        <extracomment>reason: &quot;idle&quot;, &quot;screen&quot;, &quot;sleep&quot;, &quot;suspend&quot; or &quot;manual&quot;</extracomment>
        <translation>Qt: application suspended</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="314"/>
        <source>logind : mise en veille</source>
        <translation>logind: sleep</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="335"/>
        <source>logind : verrouillage de session</source>
        <translation>logind: session lock</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="347"/>
        <source>économiseur d&apos;écran ({service})</source>
        <translation>screen saver ({service})</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="360"/>
        <source>Windows : verrouillage de session et mise en veille</source>
        <translation>Windows: session lock and sleep</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../ui/main_window.py" line="83"/>
        <location filename="../../ui/main_window.py" line="84"/>
        <source>SPIE — Accompagnement</source>
        <translation>SPIE — Support</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="186"/>
        <source>Insertion et emploi</source>
        <translation>Integration and employment</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="193"/>
        <source>Tableau de bord</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="195"/>
        <source>Portefeuille</source>
        <translation>Caseload</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="196"/>
        <source>Agenda</source>
        <translation>Agenda</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="197"/>
        <source>Annuaire</source>
        <translation>Directory</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="198"/>
        <source>Paramètres</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="207"/>
        <source>Raccourci : {k}</source>
        <translation>Shortcut: {k}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="217"/>
        <source>Verrouiller</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="220"/>
        <source>Verrouiller (Ctrl+L)</source>
        <translation>Lock (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="222"/>
        <source>Verrouiller l&apos;application</source>
        <translation>Lock the application</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="486"/>
        <source>Responsable d&apos;équipe</source>
        <translation>Team supervisor</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="488"/>
        <source>Référent</source>
        <translation>Referent</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="490"/>
        <source>Mode local</source>
        <translation>Local mode</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="632"/>
        <source>Opération impossible</source>
        <translation>Operation not possible</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="641"/>
        <source>Cet appareil a été révoqué par l&apos;administrateur du département. Pour protéger les personnes accompagnées, les données de cet ordinateur vont être effacées.</source>
        <translation>This device was revoked by the department&apos;s administrator. To protect the people followed, the data on this computer will be erased.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="646"/>
        <source>Appareil révoqué</source>
        <translation>Device revoked</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="341"/>
        <location filename="../../ui/main_window.py" line="346"/>
        <source>Passations</source>
        <translation>Handovers</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="343"/>
        <source>Passations (Ctrl+Maj+P)</source>
        <translation>Handovers (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="347"/>
        <source>Personnes sans référent et passations demandées</source>
        <translation>Persons without a referent and requested handovers</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="372"/>
        <source>Confier à un autre référent…</source>
        <translation>Hand over to another referent…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="377"/>
        <source>Départ de {name} : confier toutes ses personnes…</source>
        <translation>{name} leaving: hand over all their persons…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="194"/>
        <source>Ma journée</source>
        <translation>My day</translation>
    </message>
</context>
<context>
    <name>my_day</name>
    <message>
        <location filename="../../ui/views/my_day.py" line="42"/>
        <source>Orientation à décider</source>
        <translation>Orientation to decide</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="43"/>
        <source>Contrat d&apos;engagement à signer</source>
        <translation>Engagement contract to sign</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="44"/>
        <source>Revue du parcours social due</source>
        <translation>Social track review due</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="45"/>
        <source>Contrat bientôt échu</source>
        <translation>Contract ending soon</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="46"/>
        <source>Ancien contrat à convertir</source>
        <translation>Legacy contract to convert</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="47"/>
        <source>Sous le plancher d&apos;heures</source>
        <translation>Below the hours floor</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="74"/>
        <source>Ma journée</source>
        <translation>My day</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="81"/>
        <location filename="../../ui/views/my_day.py" line="85"/>
        <source>Rendez-vous du jour</source>
        <translation>Today&apos;s appointments</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="86"/>
        <source>Entrée ouvre le dossier de la personne.</source>
        <translation>Enter opens the person&apos;s file.</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="91"/>
        <source>Voir la journée dans l&apos;agenda</source>
        <translation>See the day in the agenda</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="97"/>
        <source>À traiter</source>
        <translation>To do</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="103"/>
        <source>Comptes rendus à saisir</source>
        <translation>Reports to write</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="104"/>
        <source>Actions en retard</source>
        <translation>Overdue actions</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="119"/>
        <source>Chaque ligne ouvre exactement la liste qu&apos;elle compte.</source>
        <translation>Each line opens exactly the list it counts.</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="177"/>
        <source>Aucun rendez-vous aujourd&apos;hui.</source>
        <translation>No appointment today.</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="183"/>
        <source>Rendez-vous du jour ({n})</source>
        <translation>Today&apos;s appointments ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/views/my_day.py" line="189"/>
        <source>{label} : {n}</source>
        <translation>{label}: {n}</translation>
    </message>
</context>
<context>
    <name>passphrase</name>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="56"/>
        <source>Très faible</source>
        <translation>Very weak</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="57"/>
        <source>Faible</source>
        <translation>Weak</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="58"/>
        <source>Moyenne</source>
        <translation>Fair</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="59"/>
        <source>Bonne</source>
        <translation>Good</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="60"/>
        <source>Excellente</source>
        <translation>Excellent</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="71"/>
        <source>Saisissez une phrase.</source>
        <translation>Type a phrase.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="117"/>
        <source>Trop facile à deviner. Enchaînez plusieurs mots sans lien, par exemple « girafe lundi violon tempête ».</source>
        <translation>Too easy to guess. Chain several unrelated words, for example “giraffe monday violin storm”.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="122"/>
        <source>Ajoutez un ou deux mots sans rapport avec les autres.</source>
        <translation>Add one or two words unrelated to the others.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="123"/>
        <source>Correct. Un mot de plus la rendrait bien plus sûre.</source>
        <translation>Fair. One more word would make it much safer.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="124"/>
        <source>Bonne phrase de passe.</source>
        <translation>Good passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="125"/>
        <source>Excellente phrase de passe.</source>
        <translation>Excellent passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="23"/>
        <location filename="../../ui/widgets/passphrase.py" line="142"/>
        <source>Phrase de passe</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="30"/>
        <source>Phrase de passe actuelle</source>
        <translation>Current passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="34"/>
        <source>Nouvelle phrase de passe</source>
        <translation>New passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="37"/>
        <source>Au moins {n} caractères ; plusieurs mots faciles à retenir.</source>
        <translation>At least {n} characters; several words easy to remember.</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="43"/>
        <source>Nouvelle phrase de passe (à nouveau)</source>
        <translation>New passphrase (again)</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="56"/>
        <location filename="../../ui/views/passphrase_box.py" line="118"/>
        <source>Changer la phrase de passe</source>
        <translation>Change the passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="57"/>
        <source>La base n&apos;est pas rechiffrée : sa clé est protégée par la nouvelle phrase.</source>
        <translation>The database is not re-encrypted: its key is protected by the new passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="79"/>
        <source>Saisissez la phrase actuelle.</source>
        <translation>Type the current passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="84"/>
        <source>La phrase de passe doit compter au moins {n} caractères.</source>
        <translation>The passphrase must have at least {n} characters.</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="92"/>
        <source>La nouvelle phrase est identique à l&apos;actuelle.</source>
        <translation>The new passphrase is the same as the current one.</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="98"/>
        <source>Les deux nouvelles phrases ne sont pas identiques.</source>
        <translation>The two new passphrases differ.</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="116"/>
        <source>Changement en cours…</source>
        <translation>Changing…</translation>
    </message>
    <message>
        <location filename="../../ui/views/passphrase_box.py" line="126"/>
        <source>Phrase de passe changée. Elle sera demandée au prochain déverrouillage.</source>
        <translation>Passphrase changed. It will be asked at the next unlock.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="145"/>
        <source>Au moins {n} caractères. Elle protège les données de cet ordinateur ; elle n&apos;est jamais envoyée au serveur.</source>
        <translation>At least {n} characters. It protects the data on this computer; it is never sent to the server.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="153"/>
        <source>Force de la phrase de passe</source>
        <translation>Passphrase strength</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="167"/>
        <source>Confirmez la phrase de passe</source>
        <translation>Confirm the passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="173"/>
        <location filename="../../ui/widgets/passphrase.py" line="174"/>
        <source>Afficher les caractères saisis</source>
        <translation>Show the characters typed</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="198"/>
        <source>Force : {label}. {advice}</source>
        <translation>Strength: {label}. {advice}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="202"/>
        <source>Astuce : une phrase de plusieurs mots est plus facile à retenir et plus sûre qu&apos;un mot de passe compliqué.</source>
        <translation>Tip: a phrase of several words is easier to remember and safer than a complicated password.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="222"/>
        <source>Au moins {n} caractères.</source>
        <translation>At least {n} characters.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="229"/>
        <source>Phrase trop facile à deviner : ajoutez des mots sans lien entre eux.</source>
        <translation>Too easy to guess: add unrelated words.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/passphrase.py" line="239"/>
        <source>Les deux saisies ne sont pas identiques.</source>
        <translation>The two entries are not identical.</translation>
    </message>
</context>
<context>
    <name>path</name>
    <message>
        <location filename="../../ui/views/path_tab.py" line="174"/>
        <source>du {start} au {end}</source>
        <extracomment>the decision as recorded, to prefill its correction the decisions this one corrected, newest first: (cells of the old row, « corrigée le … par … ») per decision (same order): its id and whether the person was notified per decision (same order): who decided and the criteria recorded, one line</extracomment>
        <translation>from {start} to {end}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="182"/>
        <source>{kind} — version {version}</source>
        <translation>{kind} — version {version}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="192"/>
        <source>{kind} v{version}</source>
        <translation>{kind} v{version}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="196"/>
        <source>Version {version}</source>
        <translation>Version {version}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="215"/>
        <source>réexamen à 12 mois</source>
        <translation>review at 12 months</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="217"/>
        <source>réexamen à 6 mois</source>
        <translation>review at 6 months</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="249"/>
        <source>Demande de réorientation vers « {track} » du {date} en attente : {reason}</source>
        <translation>Reorientation request to “{track}” of {date} pending: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="274"/>
        <source>Clos le {date} — {reason} : {outcome}</source>
        <translation>Closed on {date} — {reason}: {outcome}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="280"/>
        <source>La durée de conservation du dossier court depuis le {date}.</source>
        <translation>The file&apos;s retention period runs from {date}.</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="408"/>
        <source> ({percent} %, {months} mois)</source>
        <translation> ({percent} %, {months} months)</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="412"/>
        <source>, le {date}</source>
        <translation>, on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="319"/>
        <source>en attente</source>
        <translation>pending</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="433"/>
        <source>Heures d&apos;activité par semaine</source>
        <translation>Activity hours per week</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="442"/>
        <source>{planned} prévues, {done} réalisées, plancher {floor}</source>
        <translation>{planned} planned, {done} done, floor {floor}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="446"/>
        <source> — sous le plancher</source>
        <translation> — below the floor</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="470"/>
        <source>plancher {floor}</source>
        <translation>floor {floor}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="562"/>
        <source>Échéances du parcours</source>
        <extracomment>the widest date a path list shows (``_d``), to size a date column before it holds one QHeaderView::section and QTreeView::item paddings of app.qss, each side, and a margin below this width the cards stack, so that no column of their lists is cut (issue 12)</extracomment>
        <translation>Path deadlines</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="575"/>
        <source>Orientation</source>
        <translation>Orientation</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="579"/>
        <source>Parcours</source>
        <translation>Path</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="580"/>
        <source>Structure</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="157"/>
        <location filename="../../ui/dialogs/path.py" line="628"/>
        <source>Notifiée le</source>
        <translation>Notified on</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="582"/>
        <source>Réexamen</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="584"/>
        <source>Historique des orientations</source>
        <translation>Orientation history</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="594"/>
        <source>Critères de l&apos;orientation choisie</source>
        <translation>Criteria of the chosen orientation</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="600"/>
        <source>Demandée le</source>
        <translation>Requested on</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="601"/>
        <source>Parcours demandé</source>
        <translation>Requested track</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="602"/>
        <source>Motif</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="603"/>
        <source>Réponse</source>
        <translation>Answer</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="604"/>
        <source>Le</source>
        <translation>On</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="606"/>
        <source>Demandes de réorientation</source>
        <translation>Reorientation requests</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="613"/>
        <source>Nouvelle décision d&apos;orientation</source>
        <translation>New orientation decision</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="614"/>
        <source>Demander une réorientation</source>
        <translation>Request a reorientation</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="616"/>
        <source>Notifiée le…</source>
        <translation>Notified on…</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="617"/>
        <source>Enregistrer la notification de la décision choisie</source>
        <translation>Record the notification of the selected decision</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="620"/>
        <source>Décider de la demande</source>
        <translation>Decide on the request</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="621"/>
        <source>Décider de la demande de réorientation en attente</source>
        <translation>Decide on the pending reorientation request</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="631"/>
        <location filename="../../ui/dialogs/path.py" line="291"/>
        <source>Contrat d&apos;engagement</source>
        <translation>Engagement contract</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="635"/>
        <source>Contrat en cours</source>
        <translation>Current contract</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="639"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="640"/>
        <source>État</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="641"/>
        <source>Période</source>
        <translation>Period</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="642"/>
        <source>Signé le</source>
        <translation>Signed on</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="644"/>
        <source>Versions du contrat</source>
        <translation>Contract versions</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="649"/>
        <source>Préparer le contrat</source>
        <translation>Draft the contract</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="650"/>
        <source>Signer</source>
        <translation>Sign</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="651"/>
        <source>Nouvelle version</source>
        <translation>New version</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="653"/>
        <source>Terminer</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="653"/>
        <source>Terminer le contrat en cours</source>
        <translation>End the current contract</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="661"/>
        <source>Plan d&apos;action et heures d&apos;activité</source>
        <translation>Action plan and activity hours</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="669"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="670"/>
        <location filename="../../ui/dialogs/path.py" line="381"/>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="671"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="678"/>
        <source>Ajouter une action</source>
        <translation>Add an action</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="679"/>
        <source>Saisir les heures</source>
        <translation>Enter hours</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="684"/>
        <location filename="../../ui/dialogs/path.py" line="475"/>
        <source>Fin d&apos;accompagnement</source>
        <translation>End of support</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="688"/>
        <source>Clore l&apos;accompagnement</source>
        <translation>Close the support</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="693"/>
        <source>Manquements (information sensible)</source>
        <translation>Breaches (sensitive information)</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="696"/>
        <source>Constaté le</source>
        <translation>Noted on</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="697"/>
        <source>Manquement</source>
        <translation>Breach</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="698"/>
        <source>Invitée le</source>
        <translation>Invited on</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="720"/>
        <source>Corriger la décision</source>
        <translation>Correct the decision</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="721"/>
        <source>Corriger une décision mal saisie sur le manquement choisi (l&apos;ancienne reste visible, corrigée)</source>
        <translation>Correct a mistyped decision on the chosen breach (the old one stays visible, marked corrected)</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="981"/>
        <source>Observations ({kind}, {date}) : {text}</source>
        <translation>Observations ({kind}, {date}): {text}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="984"/>
        <source>aucune observation enregistrée.</source>
        <translation>no observations recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="1003"/>
        <source>Décision du {date} : {track}</source>
        <translation>Decision of {date}: {track}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="1054"/>
        <source>{kind} constaté le {date}</source>
        <translation>{kind} noted on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="1063"/>
        <source>{kind} constaté le {date} — décision : {decision}</source>
        <translation>{kind} noted on {date} — decision: {decision}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="578"/>
        <location filename="../../ui/views/path_tab.py" line="699"/>
        <source>Décision</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="293"/>
        <source>corrigée le {date} par {name}</source>
        <translation>corrected on {date} by {name}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="295"/>
        <source>corrigée le {date}</source>
        <translation>corrected on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="301"/>
        <source>Décision corrigée</source>
        <translation>Corrected decision</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="303"/>
        <source>{decision} — {note}</source>
        <translation>{decision} — {note}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="312"/>
        <source> (corrigée)</source>
        <translation> (corrected)</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="339"/>
        <source>oui</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="339"/>
        <source>non</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="347"/>
        <source>Président du conseil départemental (par délégation)</source>
        <translation>President of the departmental council (by delegation)</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="350"/>
        <source>Import du fichier départemental</source>
        <translation>Import of the departmental file</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="359"/>
        <source>Décidée le {date} par {name}</source>
        <translation>Decided on {date} by {name}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="363"/>
        <source>Décidée le {date}</source>
        <translation>Decided on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="368"/>
        <source>A travaillé ces deux dernières années : {answer}</source>
        <translation>Worked in the last two years: {answer}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="375"/>
        <source>Se projette dans un emploi : {answer}</source>
        <translation>Can picture themselves in a job: {answer}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="379"/>
        <source>Qualification : {level}</source>
        <translation>Qualification: {level}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="384"/>
        <source>{barrier} ({impact})</source>
        <translation>{barrier} ({impact})</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="392"/>
        <source>Freins : {list}</source>
        <translation>Barriers: {list}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="395"/>
        <source>Réexamen à 12 mois : {reason}</source>
        <translation>Review at 12 months: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="581"/>
        <source>Notifiée</source>
        <translation>Notified</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="672"/>
        <source>Prévues</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="673"/>
        <source>Réalisées</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="675"/>
        <source>Actions du plan (heures par semaine)</source>
        <translation>Plan actions (hours per week)</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="700"/>
        <source>Remobilisation</source>
        <translation>Remobilisation</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="702"/>
        <source>Manquements au contrat</source>
        <translation>Contract breaches</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="714"/>
        <source>Signaler un manquement</source>
        <translation>Report a breach</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="716"/>
        <source>Décision du département</source>
        <translation>Department&apos;s decision</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="717"/>
        <source>Enregistrer la décision du département sur le manquement choisi</source>
        <translation>Record the department&apos;s decision on the selected breach</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="728"/>
        <source>Afficher les observations</source>
        <translation>Show the observations</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="729"/>
        <source>Afficher les observations de la personne (lecture tracée)</source>
        <translation>Show the person&apos;s observations (the reading is logged)</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="834"/>
        <source>Aucune décision d&apos;orientation</source>
        <translation>No orientation decision</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="851"/>
        <source>Aucun contrat en cours.</source>
        <translation>No current contract.</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="857"/>
        <source>Signé le {date}</source>
        <translation>Signed on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="860"/>
        <source>Ancien contrat : à convertir en contrat d&apos;engagement avant le 1er janvier 2027.</source>
        <translation>Former contract: to be converted into an engagement contract before 1 January 2027.</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="868"/>
        <source>Objectifs : {text}</source>
        <translation>Objectives: {text}</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="895"/>
        <source> (plancher abaissé : {reason})</source>
        <translation> (floor lowered: {reason})</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="901"/>
        <source>Pas de plan d&apos;heures sans contrat d&apos;engagement.</source>
        <translation>No hours plan without an engagement contract.</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="903"/>
        <source>Accompagnement en cours.</source>
        <translation>Support ongoing.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="60"/>
        <source>Heures invalides : écrivez par exemple 7,5 ou 7 h 30.</source>
        <translation>Invalid hours: write for instance 7.5 or 7 h 30.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="66"/>
        <source>Heures par semaine hors limites.</source>
        <translation>Hours per week out of range.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="148"/>
        <source>Décision d&apos;orientation</source>
        <translation>Orientation decision</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="150"/>
        <source>Parcours *</source>
        <translation>Path *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="153"/>
        <location filename="../../ui/dialogs/path.py" line="626"/>
        <source>Structure d&apos;accompagnement</source>
        <translation>Support organisation</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="155"/>
        <location filename="../../ui/dialogs/path.py" line="623"/>
        <location filename="../../ui/dialogs/path.py" line="814"/>
        <source>Décidée le *</source>
        <translation>Decided on *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="160"/>
        <source>Critères</source>
        <translation>Criteria</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="161"/>
        <source>A travaillé au cours des deux dernières années</source>
        <translation>Worked in the last two years</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="168"/>
        <source>Se projette dans un emploi</source>
        <translation>Can picture themselves in a job</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="174"/>
        <source>Niveau de qualification</source>
        <translation>Qualification level</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="180"/>
        <source>— Non renseigné —</source>
        <translation>— Not given —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="184"/>
        <location filename="../../ui/dialogs/path.py" line="631"/>
        <source>Réexamen à 12 mois (parcours social)</source>
        <translation>Review at 12 months (social path)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="189"/>
        <location filename="../../ui/dialogs/path.py" line="637"/>
        <source>— Non : 6 mois —</source>
        <translation>— No: 6 months —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="201"/>
        <source>— Non évalué —</source>
        <translation>— Not assessed —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="205"/>
        <source>Un parcours social est réexaminé avec France Travail après six mois, ou jusqu&apos;à douze mois si la santé, un handicap, une invalidité, le logement ou la situation familiale font obstacle (art. D. 262-65-2-1 CASF).</source>
        <translation>A social path is reviewed with France Travail after six months, or up to twelve months when health, a disability, an invalidity, housing or the family situation stand in the way (art. D. 262-65-2-1 CASF).</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="230"/>
        <location filename="../../ui/dialogs/path.py" line="549"/>
        <location filename="../../ui/dialogs/path.py" line="676"/>
        <location filename="../../ui/dialogs/path.py" line="710"/>
        <location filename="../../ui/dialogs/path.py" line="915"/>
        <source>Date obligatoire.</source>
        <translation>Date required.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="252"/>
        <source>Demande de réorientation</source>
        <translation>Reorientation request</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="254"/>
        <source>Parcours demandé *</source>
        <translation>Requested path *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="257"/>
        <source>Motif *</source>
        <translation>Reason *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="289"/>
        <source>Nouvelle version du contrat</source>
        <translation>New contract version</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="295"/>
        <source>Début</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="296"/>
        <source>Fin</source>
        <translation>End</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="297"/>
        <source>Objectifs</source>
        <translation>Objectives</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="300"/>
        <source>Plancher d&apos;activité (heures par semaine)</source>
        <translation>Activity floor (hours per week)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="304"/>
        <source>15 heures, sauf situation particulière</source>
        <translation>15 hours, unless a particular situation</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="308"/>
        <source>Motif d&apos;un plancher abaissé ou supprimé</source>
        <translation>Reason for a lowered or waived floor</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="313"/>
        <source>— Aucun (15 h) —</source>
        <translation>— None (15 h) —</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="346"/>
        <source>Signature du contrat</source>
        <translation>Contract signature</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="348"/>
        <source>Signé le *</source>
        <translation>Signed on *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="375"/>
        <source>Action du plan</source>
        <translation>Plan action</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="378"/>
        <source>Action *</source>
        <translation>Action *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="385"/>
        <location filename="../../ui/dialogs/path.py" line="439"/>
        <source>Heures prévues par semaine</source>
        <translation>Planned hours per week</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="389"/>
        <source>par exemple 4 ou 7 h 30</source>
        <translation>for instance 4 or 7 h 30</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="435"/>
        <source>Heures de l&apos;action</source>
        <translation>Action&apos;s hours</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="446"/>
        <source>Heures réalisées par semaine</source>
        <translation>Hours done per week</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="477"/>
        <source>Motif de sortie *</source>
        <translation>Exit reason *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="480"/>
        <source>Date *</source>
        <translation>Date *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="482"/>
        <source>Bilan *</source>
        <translation>Review *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="485"/>
        <source>La fin d&apos;accompagnement termine le contrat en cours et fait courir la durée de conservation du dossier.</source>
        <translation>Ending the support ends the current contract and starts the retention period of the file.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="516"/>
        <source>Manquement au contrat</source>
        <translation>Contract breach</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="518"/>
        <source>Manquement *</source>
        <translation>Breach *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="521"/>
        <source>Constaté le *</source>
        <translation>Noted on *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="523"/>
        <source>Invitée à présenter ses observations le</source>
        <translation>Invited to give observations on</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="610"/>
        <source>Décision sur la demande de réorientation</source>
        <translation>Decision on the reorientation request</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="619"/>
        <location filename="../../ui/dialogs/path.py" line="811"/>
        <source>Décision *</source>
        <translation>Decision *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="621"/>
        <source>Acceptée : nouvelle orientation</source>
        <translation>Accepted: new orientation</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="622"/>
        <source>Refusée</source>
        <translation>Refused</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="639"/>
        <source>Motif de la décision (obligatoire si refusée)</source>
        <translation>Reason for the decision (required if refused)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="643"/>
        <source>Une demande acceptée ouvre une nouvelle décision d&apos;orientation : le contrat d&apos;engagement doit être signé dans le mois qui suit sa notification.</source>
        <translation>An accepted request opens a new orientation decision: the engagement contract must be signed within one month of its notification.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="732"/>
        <source>Notification de l&apos;orientation</source>
        <translation>Notification of the orientation</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="737"/>
        <source>Notifiée le *</source>
        <translation>Notified on *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="738"/>
        <source>Le contrat d&apos;engagement doit être signé dans le mois qui suit la notification.</source>
        <translation>The engagement contract must be signed within one month of the notification.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="761"/>
        <source>Fin du contrat</source>
        <translation>End of the contract</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="764"/>
        <source>Terminé le *</source>
        <translation>Ended on *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="765"/>
        <source>Le contrat terminé reste dans l&apos;historique des versions. Pour clore l&apos;accompagnement, utilisez « Clore l&apos;accompagnement ».</source>
        <translation>The ended contract stays in the version history. To end the support, use “Close the support”.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="800"/>
        <source>Corriger la décision du département</source>
        <translation>Correct the department&apos;s decision</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="802"/>
        <source>Décision du département sur le manquement</source>
        <translation>Department&apos;s decision on the breach</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="818"/>
        <source>Part suspendue (%)</source>
        <translation>Share suspended (%)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="822"/>
        <source>de 1 à 100 ; 100 pour une suspension totale</source>
        <translation>from 1 to 100; 100 for a full suspension</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="826"/>
        <source>Durée (mois)</source>
        <translation>Duration (months)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="830"/>
        <source>de 1 à 24 mois</source>
        <translation>from 1 to 24 months</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="833"/>
        <source>Invitée à présenter ses observations le *</source>
        <translation>Invited to give observations on *</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="837"/>
        <source>Date de remobilisation</source>
        <translation>Remobilisation date</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="841"/>
        <source>Observations de la personne (laisser vide pour ne pas changer)</source>
        <translation>The person&apos;s observations (leave empty to keep them)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="846"/>
        <source>La décision ne peut être prise qu&apos;après l&apos;invitation de la personne à présenter ses observations. Information sensible, tracée.</source>
        <translation>The decision can only be taken after the person was invited to give their observations. Sensitive information, logged.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="872"/>
        <source>La décision mal saisie reste visible, marquée corrigée, avec qui l&apos;a corrigée et quand.</source>
        <translation>The mistyped decision stays visible, marked corrected, with who corrected it and when.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="898"/>
        <source>Pourcentage invalide : écrivez un nombre de 1 à 100.</source>
        <translation>Invalid percentage: write a number from 1 to 100.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="903"/>
        <source>Durée invalide : écrivez un nombre de mois.</source>
        <translation>Invalid duration: write a number of months.</translation>
    </message>
    <message>
        <location filename="../../ui/views/path_tab.py" line="712"/>
        <location filename="../../ui/dialogs/path.py" line="526"/>
        <source>Observations de la personne</source>
        <translation>The person&apos;s observations</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/path.py" line="530"/>
        <source>Information sensible : visible du référent et du responsable d&apos;équipe seulement ; chaque lecture est tracée.</source>
        <translation>Sensitive information: visible to the referent and the team supervisor only; every reading is logged.</translation>
    </message>
</context>
<context>
    <name>person</name>
    <message>
        <location filename="../../ui/views/person_file.py" line="85"/>
        <source>Tout le journal</source>
        <translation>Whole journal</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="86"/>
        <location filename="../../ui/views/person_file.py" line="187"/>
        <source>Rendez-vous</source>
        <translation>Appointments</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="88"/>
        <source>Freins</source>
        <translation>Barriers</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="92"/>
        <location filename="../../ui/views/person_file.py" line="318"/>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="95"/>
        <location filename="../../ui/views/person_file.py" line="188"/>
        <location filename="../../ui/views/person_file.py" line="458"/>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="96"/>
        <source>Passations</source>
        <translation>Handovers</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="32"/>
        <source>Rendez-vous</source>
        <comment>type d&apos;entrée</comment>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="33"/>
        <location filename="../../ui/texts/journal.py" line="34"/>
        <source>Frein</source>
        <translation>Barrier</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="332"/>
        <location filename="../../ui/texts/journal.py" line="35"/>
        <location filename="../../ui/texts/journal.py" line="36"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="37"/>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/texts/journal.py" line="38"/>
        <source>Passation</source>
        <translation>Handover</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="142"/>
        <source>← Portefeuille</source>
        <extracomment>set by the main window: the server&apos;s reveal for a supervisor (``POST /sync/reveal``) the department allows supervisors to reveal (its setting, synced to this device)</extracomment>
        <translation>← Caseload</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="143"/>
        <source>Retour au portefeuille</source>
        <translation>Back to the caseload</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="145"/>
        <source>Retour au portefeuille (Échap)</source>
        <translation>Back to the caseload (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="165"/>
        <location filename="../../ui/views/person_file.py" line="353"/>
        <location filename="../../ui/views/person_file.py" line="656"/>
        <source>Planifier un rendez-vous</source>
        <translation>Plan an appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="166"/>
        <location filename="../../ui/views/person_file.py" line="356"/>
        <source>Déplacer</source>
        <translation>Move</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="167"/>
        <source>Saisir le compte rendu</source>
        <translation>Record the report</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="173"/>
        <source>Prochain rendez-vous</source>
        <translation>Next appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="182"/>
        <source>Rubriques du dossier</source>
        <translation>Sections of the file</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="184"/>
        <location filename="../../ui/views/person_file.py" line="227"/>
        <source>Journal de bord</source>
        <translation>Journal</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="185"/>
        <location filename="../../ui/views/person_file.py" line="264"/>
        <source>Identité et situation</source>
        <translation>Identity and situation</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="186"/>
        <source>Freins et actions</source>
        <translation>Barriers and actions</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="190"/>
        <source>Parcours</source>
        <translation>Path</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="208"/>
        <source>Filtrer le journal</source>
        <translation>Filter the journal</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="212"/>
        <source>Afficher :</source>
        <translation>Show:</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="216"/>
        <location filename="../../ui/views/person_file.py" line="451"/>
        <location filename="../../ui/views/person_file.py" line="553"/>
        <source>Afficher la note sensible</source>
        <translation>Show the sensitive note</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="217"/>
        <source>La lecture d&apos;une note sensible est enregistrée dans le journal d&apos;audit.</source>
        <translation>Reading a sensitive note is recorded in the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="229"/>
        <location filename="../../ui/views/person_file.py" line="377"/>
        <location filename="../../ui/views/person_file.py" line="460"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="230"/>
        <location filename="../../ui/views/person_file.py" line="431"/>
        <location filename="../../ui/views/person_file.py" line="461"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="231"/>
        <source>Événement</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="232"/>
        <location filename="../../ui/views/person_file.py" line="305"/>
        <location filename="../../ui/views/person_file.py" line="335"/>
        <location filename="../../ui/views/person_file.py" line="380"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="243"/>
        <source>Détail de l&apos;entrée</source>
        <translation>Entry details</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="246"/>
        <source>Sélectionnez une entrée pour en lire le détail.</source>
        <translation>Select an entry to read its details.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="268"/>
        <source>Annuler les modifications</source>
        <translation>Discard the changes</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="270"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="271"/>
        <source>Enregistrer l&apos;identité et la situation</source>
        <translation>Save the identity and situation</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="289"/>
        <source>Diagnostic des freins</source>
        <translation>Barrier assessment</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="293"/>
        <source>+ Nouveau frein</source>
        <translation>+ New barrier</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="293"/>
        <source>Nouveau frein</source>
        <translation>New barrier</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="295"/>
        <source>Changer le statut du frein</source>
        <translation>Change the barrier&apos;s status</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="302"/>
        <source>Freins par thème</source>
        <translation>Barriers by theme</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="304"/>
        <source>Thème / objectif</source>
        <translation>Theme / target</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="306"/>
        <source>Depuis le</source>
        <translation>Since</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="307"/>
        <source>Situations</source>
        <translation>Situations</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="320"/>
        <source>Suivre l&apos;action</source>
        <translation>Follow the action</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="322"/>
        <source>+ Nouvelle action</source>
        <translation>+ New action</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="322"/>
        <source>Nouvelle action</source>
        <translation>New action</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="330"/>
        <source>Actions de levée des freins</source>
        <translation>Actions to lift the barriers</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="333"/>
        <source>Partenaire</source>
        <translation>Partner</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="334"/>
        <source>Échéance</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="353"/>
        <source>+ Planifier</source>
        <translation>+ Plan</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="357"/>
        <source>Déplacer le rendez-vous sélectionné</source>
        <translation>Move the selected appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="360"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="361"/>
        <source>Annuler le rendez-vous sélectionné</source>
        <translation>Cancel the selected appointment</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="364"/>
        <location filename="../../ui/views/person_file.py" line="381"/>
        <source>Compte rendu</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="365"/>
        <source>Saisir le compte rendu du rendez-vous</source>
        <translation>Record the appointment report</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="375"/>
        <source>Rendez-vous de la personne</source>
        <translation>The person&apos;s appointments</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="378"/>
        <source>Objet</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="379"/>
        <source>Modalité</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="397"/>
        <source>Nouvelle note</source>
        <translation>New note</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="400"/>
        <source>Type de note</source>
        <translation>Note type</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="405"/>
        <source>Note sensible (santé, vie privée) : masquée par défaut</source>
        <translation>Sensitive note (health, private life): hidden by default</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="407"/>
        <source>Note sensible</source>
        <translation>Sensitive note</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="408"/>
        <source>Une note sensible n&apos;est lisible qu&apos;après un clic, enregistré.</source>
        <translation>A sensitive note can only be read after a click, which is recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="410"/>
        <source>Texte de la note</source>
        <translation>Note text</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="412"/>
        <source>Écrivez la note. Une note enregistrée ne se modifie plus : une correction s&apos;écrit dans une nouvelle note.</source>
        <translation>Write the note. A saved note can no longer be changed: a correction is written as a new note.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="425"/>
        <source>Enregistrer la note</source>
        <translation>Save the note</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="427"/>
        <source>Enregistrer la note (Ctrl+Entrée)</source>
        <translation>Save the note (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="440"/>
        <source>Les notes sont conservées dans le journal de bord.</source>
        <translation>Notes are kept in the journal.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="448"/>
        <source>Notes du journal</source>
        <translation>Journal notes</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="452"/>
        <source>Afficher la note sensible sélectionnée</source>
        <translation>Show the selected sensitive note</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="462"/>
        <source>Texte</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="533"/>
        <source>Note sensible réservée au référent — « Révéler » avec un motif.</source>
        <translation>Sensitive note kept for the referent — “Reveal” with a reason.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="536"/>
        <source>Note sensible réservée au référent.</source>
        <translation>Sensitive note kept for the referent.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="545"/>
        <source>Révéler la note sensible…</source>
        <translation>Reveal the sensitive note…</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="547"/>
        <source>Demande le texte au serveur, avec un motif écrit au journal d&apos;audit.</source>
        <translation>Asks the server for the text, with a reason written to the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="597"/>
        <source>Dossier de {name}</source>
        <translation>File of {name}</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="601"/>
        <source>né(e) le {date}</source>
        <translation>born on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="608"/>
        <source>orientation {o}</source>
        <translation>{o} orientation</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="635"/>
        <source>&lt;b&gt;Prochain rendez-vous :&lt;/b&gt; {when} · {mode} · {purpose}</source>
        <translation>&lt;b&gt;Next appointment:&lt;/b&gt; {when} · {mode} · {purpose}</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="644"/>
        <source>&lt;b&gt;Aucun rendez-vous planifié.&lt;/b&gt; Planifiez le prochain contact.</source>
        <translation>&lt;b&gt;No appointment planned.&lt;/b&gt; Plan the next contact.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="654"/>
        <source>Planifier un autre</source>
        <translation>Plan another</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="664"/>
        <source>Compte rendu à saisir : rendez-vous du {when} ({n} en attente).</source>
        <translation>Report to record: appointment of {when} ({n} pending).</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="683"/>
        <source>Note sensible masquée</source>
        <translation>Sensitive note hidden</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="687"/>
        <source> (remplacée)</source>
        <translation> (superseded)</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="706"/>
        <source>{n} entrée(s)</source>
        <translation>{n} entry(ies)</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="719"/>
        <source>{n} ouvert(s)</source>
        <translation>{n} open</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="732"/>
        <source>Objectif à définir</source>
        <translation>Target to be defined</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="750"/>
        <source>Aucun frein identifié pour l&apos;instant.</source>
        <translation>No barrier identified yet.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="765"/>
        <source>{date} (échue)</source>
        <translation>{date} (overdue)</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="775"/>
        <source>Aucune action pour l&apos;instant.</source>
        <translation>No action yet.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="531"/>
        <source>Note sensible masquée — « Afficher » pour la lire.</source>
        <translation>Sensitive note hidden — “Show” to read it.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="811"/>
        <source> · sensible</source>
        <translation> · sensitive</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="813"/>
        <source> · remplacée</source>
        <translation> · superseded</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="1000"/>
        <source>Modifications enregistrées.</source>
        <translation>Changes saved.</translation>
    </message>
    <message>
        <location filename="../../ui/views/person_file.py" line="1024"/>
        <source>La note est vide.</source>
        <translation>The note is empty.</translation>
    </message>
</context>
<context>
    <name>persons</name>
    <message>
        <location filename="../../ui/dialogs/persons.py" line="25"/>
        <source>Nouvelle personne accompagnée</source>
        <translation>New person followed</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/persons.py" line="27"/>
        <source>Créer le dossier</source>
        <translation>Create the file</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/persons.py" line="34"/>
        <source>Les champs marqués * sont obligatoires. Le reste du dossier pourra être complété ensuite. Aucun numéro de sécurité sociale n&apos;est demandé.</source>
        <translation>Fields marked * are required. The rest of the file can be completed later. No social security number is asked.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/persons.py" line="45"/>
        <source>Formulaire de la nouvelle personne</source>
        <translation>Form of the new person</translation>
    </message>
</context>
<context>
    <name>reveal</name>
    <message>
        <location filename="../../ui/dialogs/reveal.py" line="24"/>
        <source>Révéler une note sensible</source>
        <translation>Reveal a sensitive note</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reveal.py" line="26"/>
        <source>Révéler</source>
        <translation>Reveal</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reveal.py" line="32"/>
        <source>Le texte est demandé au serveur départemental. Votre motif est écrit au journal d&apos;audit avec votre nom ; la note n&apos;est pas gardée sur cet appareil.</source>
        <translation>The text is asked from the department&apos;s server. Your reason is written to the audit log with your name; the note is not kept on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reveal.py" line="39"/>
        <source>Motif de la consultation</source>
        <translation>Reason for reading</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reveal.py" line="41"/>
        <source>Ex. : signalement à instruire</source>
        <translation>E.g.: report to investigate</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reveal.py" line="42"/>
        <source>Motif :</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/reveal.py" line="56"/>
        <source>Indiquez le motif : il est écrit au journal d&apos;audit.</source>
        <translation>Give the reason: it is written to the audit log.</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <location filename="../../ui/views/settings.py" line="47"/>
        <source>Aucun trousseau système utilisable : le secret de l&apos;appareil est gardé dans un fichier protégé (0600) : {path}.</source>
        <translation>No usable system keyring: the device secret is kept in a protected file (0600): {path}.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="76"/>
        <location filename="../../ui/views/settings.py" line="84"/>
        <source>Paramètres</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="88"/>
        <source>Connexion et verrouillage</source>
        <translation>Connection and lock</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="93"/>
        <source>Serveur du département</source>
        <translation>Department&apos;s server</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="98"/>
        <source>Adresse http:// ou https:// fournie par votre administrateur</source>
        <translation>http:// or https:// address provided by your administrator</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="104"/>
        <source>Verrouiller après (minutes sans activité)</source>
        <translation>Lock after (minutes without activity)</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="112"/>
        <source>Langue de l&apos;interface</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="116"/>
        <source>S&apos;applique au prochain démarrage</source>
        <translation>Applies at the next start</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="123"/>
        <source>Le changement de langue prend effet au prochain démarrage.</source>
        <translation>The language change takes effect at the next start.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="127"/>
        <source>Enregistrer les paramètres</source>
        <translation>Save the settings</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="130"/>
        <source>Verrouiller maintenant</source>
        <translation>Lock now</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="131"/>
        <source>Verrouiller maintenant (Ctrl+L)</source>
        <translation>Lock now (Ctrl+L)</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="136"/>
        <source>Sécurité de cet ordinateur</source>
        <translation>Security of this computer</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="159"/>
        <source>Compte</source>
        <translation>Account</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="167"/>
        <source>Identifiant</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="171"/>
        <source>Mot de passe</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="175"/>
        <source>Il n&apos;est jamais enregistré sur cet ordinateur.</source>
        <translation>It is never stored on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="187"/>
        <source>Se connecter au serveur</source>
        <translation>Connect to the server</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="188"/>
        <source>Relier cet ordinateur à votre compte : le mot de passe est échangé contre un jeton gardé dans le trousseau.</source>
        <translation>Link this computer to your account: the password is exchanged for a token kept in the keyring.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="198"/>
        <location filename="../../ui/views/settings.py" line="209"/>
        <source>Réglages du département</source>
        <translation>Department settings</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="224"/>
        <source>Coffre de clés : introuvable.</source>
        <translation>Key vault: not found.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="228"/>
        <source>Secret de l&apos;appareil : dans le trousseau du système ({backend}).</source>
        <translation>Device secret: in the system keyring ({backend}).</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="236"/>
        <source>Secret de l&apos;appareil : dans un fichier protégé.</source>
        <translation>Device secret: in a protected file.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="240"/>
        <source>Données chiffrées : {path}</source>
        <translation>Encrypted data: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="245"/>
        <source>Identifiant de cet appareil : {id}</source>
        <translation>ID of this device: {id}</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="247"/>
        <source>aucun signal du système</source>
        <translation>no system signal</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="249"/>
        <source>Verrouillage automatique : après le délai sans activité, et sur signal du système ({sources}).</source>
        <translation>Automatic lock: after the idle delay, and on system signals ({sources}).</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="257"/>
        <source>responsable d&apos;équipe (lecture seule)</source>
        <translation>team supervisor (read only)</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="259"/>
        <source>référent</source>
        <translation>referent</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="261"/>
        <source>utilisateur local</source>
        <translation>local user</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="262"/>
        <source>Connecté : {name}, {role}.</source>
        <translation>Logged in: {name}, {role}.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="264"/>
        <source>Aucun compte du département : les données restent sur cet ordinateur.</source>
        <translation>No department account: the data stays on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="286"/>
        <source>Jamais reçus du serveur : valeurs par défaut (délais de la loi). Ils se décident sur le serveur départemental et ne se modifient pas ici.</source>
        <translation>Never received from the server: default values (the law&apos;s deadlines). They are decided on the department&apos;s server and cannot be changed here.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="292"/>
        <source>Décidés par le serveur départemental (version {version}), en lecture seule sur cet ordinateur.</source>
        <translation>Decided by the department&apos;s server (version {version}), read-only on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="299"/>
        <source>oui</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="299"/>
        <source>non</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="302"/>
        <source>Département</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="303"/>
        <source>En-tête</source>
        <translation>Letterhead</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="305"/>
        <source>Signataire</source>
        <translation>Signatory</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="309"/>
        <source>Logo</source>
        <translation>Logo</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="310"/>
        <source>celui du département</source>
        <translation>the department&apos;s</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="312"/>
        <source>logo neutre de l&apos;application</source>
        <translation>the application&apos;s neutral logo</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="315"/>
        <source>Conservation après la fin de l&apos;accompagnement</source>
        <translation>Kept after the end of the accompaniment</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="316"/>
        <location filename="../../ui/views/settings.py" line="324"/>
        <source>{n} mois</source>
        <translation>{n} months</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="319"/>
        <source>Orientation</source>
        <translation>Orientation</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="320"/>
        <source>{n} semaines</source>
        <translation>{n} weeks</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="323"/>
        <source>Signature du contrat</source>
        <translation>Contract signature</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="327"/>
        <source>Réexamen du parcours social</source>
        <translation>Social track review</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="328"/>
        <source>{n} mois, ou {m} mois avec un frein reconnu</source>
        <translation>{n} months, or {m} months with a recognised barrier</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="333"/>
        <source>Contrat bientôt échu</source>
        <translation>Contract ending soon</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="334"/>
        <source>{n} jours</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="337"/>
        <source>Conversion des anciens contrats avant le</source>
        <translation>Legacy contracts converted before</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="341"/>
        <source>Les responsables peuvent révéler une note sensible</source>
        <translation>Supervisors may reveal a sensitive note</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="345"/>
        <source>{name} : {value}</source>
        <translation>{name}: {value}</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="359"/>
        <source>Indiquez d&apos;abord l&apos;adresse du serveur.</source>
        <translation>Enter the server address first.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="364"/>
        <source>Identifiant requis.</source>
        <translation>Username required.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="368"/>
        <source>Mot de passe requis.</source>
        <translation>Password required.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="383"/>
        <source>Connecté : {name}.</source>
        <translation>Logged in: {name}.</translation>
    </message>
    <message>
        <location filename="../../ui/views/settings.py" line="410"/>
        <source>Paramètres enregistrés.</source>
        <translation>Settings saved.</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="21"/>
        <source>État de la connexion</source>
        <translation>Connection status</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="22"/>
        <source>Modifications en attente d&apos;envoi</source>
        <translation>Changes waiting to be sent</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="24"/>
        <source>Dernière synchronisation réussie</source>
        <translation>Last successful sync</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="27"/>
        <source>Progression de la synchronisation</source>
        <translation>Sync progress</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="33"/>
        <source>Voir les conflits de synchronisation</source>
        <translation>Show the sync conflicts</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="39"/>
        <source>Synchroniser</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="40"/>
        <source>Synchroniser maintenant</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="43"/>
        <source>Synchroniser maintenant (F5)</source>
        <translation>Sync now (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="80"/>
        <source>● Mode local</source>
        <translation>● Local mode</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="81"/>
        <source>● En ligne</source>
        <translation>● Online</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="82"/>
        <source>⟳ Synchronisation…</source>
        <translation>⟳ Syncing…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="83"/>
        <source>● Hors ligne</source>
        <translation>● Offline</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="84"/>
        <source>● Erreur de synchronisation</source>
        <translation>● Sync error</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="85"/>
        <source>● Appareil révoqué</source>
        <translation>● Device revoked</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="91"/>
        <source>Aucun serveur : les données restent sur cet ordinateur.</source>
        <translation>No server: the data stays on this computer.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="97"/>
        <source>Enregistré sur cet ordinateur</source>
        <translation>Saved on this computer</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="99"/>
        <source>{n} modification(s) en attente</source>
        <translation>{n} change(s) waiting</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="101"/>
        <source>Tout est enregistré</source>
        <translation>Everything is saved</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="103"/>
        <source> · {n} refusée(s)</source>
        <translation> · {n} refused</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="109"/>
        <source>Dernière synchronisation : {when}</source>
        <translation>Last sync: {when}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="113"/>
        <source>Jamais synchronisé</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/status_bar.py" line="118"/>
        <source>{n} conflit(s)</source>
        <translation>{n} conflict(s)</translation>
    </message>
</context>
<context>
    <name>sync</name>
    <message>
        <location filename="../../ui/sync_client_backend.py" line="175"/>
        <source>{n} modification(s) refusée(s) par le serveur : {reason}</source>
        <translation>{n} change(s) refused by the server: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_controller.py" line="115"/>
        <source>Le journal d&apos;audit de l&apos;équipe est tenu par le serveur départemental : cet appareil fonctionne en mode local, sans serveur.</source>
        <translation>The team&apos;s audit log is kept by the department&apos;s server: this device works in local mode, without a server.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_controller.py" line="127"/>
        <source>Le module de synchronisation n&apos;est pas installé sur ce poste : l&apos;application fonctionne en mode local.</source>
        <translation>The sync module is not installed on this computer: the application works in local mode.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_controller.py" line="147"/>
        <source>Consulter une note sensible demande le serveur départemental : l&apos;application fonctionne en mode local.</source>
        <translation>Reading a sensitive note needs the department&apos;s server: the application runs in local mode.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_controller.py" line="467"/>
        <location filename="../../ui/sync_controller.py" line="497"/>
        <source>Déverrouillez d&apos;abord l&apos;application.</source>
        <translation>Unlock the application first.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_client_backend.py" line="143"/>
        <source>Serveur injoignable : le journal d&apos;audit se consulte en ligne. Réessayez quand la connexion sera revenue.</source>
        <extracomment>Interactive use: give up quickly (about 3 s) and say « hors ligne »; the controller retries every minute and when the network comes back. set by the controller: tells the UI the device is revoked, waits for its answer</extracomment>
        <translation>Server unreachable: the audit log is read online. Try again when the connection is back.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_client_backend.py" line="182"/>
        <source>{n} passation(s) refusée(s) par le serveur : {reason} (voir « Passations »)</source>
        <translation>{n} handover(s) refused by the server: {reason} (see “Handovers”)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_client_backend.py" line="192"/>
        <source>{n} passation(s) faite(s) par le serveur.</source>
        <translation>{n} handover(s) made by the server.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="26"/>
        <source>Envoi des modifications…</source>
        <translation>Sending changes…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="27"/>
        <source>Réception des dossiers…</source>
        <translation>Receiving files…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="28"/>
        <source>Dossiers à jour.</source>
        <translation>Files up to date.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="29"/>
        <source>Réception de l&apos;annuaire…</source>
        <translation>Receiving the directory…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="30"/>
        <source>Comparaison avec le serveur…</source>
        <translation>Comparing with the server…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="31"/>
        <source>Renvoi des modifications…</source>
        <translation>Sending changes again…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="32"/>
        <source>Envoi des passations demandées…</source>
        <translation>Sending requested handovers…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="33"/>
        <source>Retrait des dossiers transmis…</source>
        <translation>Removing handed-over files…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="34"/>
        <source>Écart détecté : comparaison avec le serveur…</source>
        <translation>Mismatch found: comparing with the server…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="37"/>
        <source>Écart détecté : comparaison des dossiers…</source>
        <translation>Mismatch found: comparing files…</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="40"/>
        <source>Une synchronisation est déjà en cours.</source>
        <translation>A sync is already running.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="43"/>
        <source>La synchronisation a échoué.</source>
        <translation>The sync failed.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="44"/>
        <source>Serveur injoignable : vous êtes hors ligne. Vos modifications sont conservées et seront envoyées à la prochaine synchronisation.</source>
        <translation>Server unreachable: you are offline. Your changes are kept and will be sent at the next sync.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="49"/>
        <source>Votre session a expiré sur cet appareil : reconnectez-vous avec votre mot de passe.</source>
        <translation>Your session has expired on this device: log in again with your password.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="53"/>
        <source>Cet appareil n&apos;est pas encore relié au serveur : connectez-vous d&apos;abord (spie-desktop login).</source>
        <translation>This device is not linked to the server yet: log in first (spie-desktop login).</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="72"/>
        <source>Cet appareil a été révoqué par l&apos;administrateur (retiré du service) : ses données locales sont effacées.</source>
        <translation>This device was revoked by the administrator (retired from service): its local data are erased.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="80"/>
        <source>Ses {n} dernière(s) modification(s) ont été envoyées au serveur avant l&apos;effacement.</source>
        <translation>Its last {n} change(s) were sent to the server before the erasure.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="88"/>
        <source>Cet appareil a été révoqué par l&apos;administrateur (déclaré perdu ou volé) : ses données locales sont effacées.</source>
        <translation>This device was revoked by the administrator (reported lost or stolen): its local data are erased.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="96"/>
        <source>{n} modification(s) non envoyée(s) au serveur sont détruites avec elles.</source>
        <translation>{n} change(s) not sent to the server are destroyed with them.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="101"/>
        <source>Aucune modification non envoyée n&apos;est perdue.</source>
        <translation>No unsent change is lost.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="108"/>
        <source>le serveur ne reconnaissait pas l&apos;état de cet appareil (serveur restauré d&apos;une sauvegarde ?)</source>
        <translation>the server did not recognise this device&apos;s state (server restored from a backup?)</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="113"/>
        <source>cet appareil a été restauré d&apos;une ancienne copie de ses données</source>
        <translation>this device was restored from an old copy of its data</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="116"/>
        <source>l&apos;appareil et le serveur ne comptaient pas les mêmes éléments</source>
        <translation>the device and the server did not count the same items</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="119"/>
        <source>des dossiers de cet appareil différaient de ceux du serveur (empreintes)</source>
        <translation>files on this device differed from the server&apos;s (digests)</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="123"/>
        <source>un écart a été détecté</source>
        <translation>a mismatch was found</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="126"/>
        <source>Réconciliation : {reason}.</source>
        <translation>Reconciliation: {reason}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="129"/>
        <source>{n} modification(s) de cet appareil renvoyée(s) au serveur, {refused} refusée(s).</source>
        <translation>{n} change(s) of this device sent to the server again, {refused} refused.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="136"/>
        <source>{n} modification(s) de cet appareil renvoyée(s) au serveur.</source>
        <translation>{n} change(s) of this device sent to the server again.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="142"/>
        <source>{n} effacement(s) décidé(s) avant la restauration du serveur appliqué(s) à nouveau sur le serveur.</source>
        <translation>{n} erasure(s) decided before the server&apos;s restore applied again on the server.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="150"/>
        <source>{n} dossier(s) comparé(s) et téléchargé(s) à nouveau.</source>
        <translation>{n} file(s) compared and downloaded again.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="156"/>
        <source>{n} dossier(s) retiré(s) de cet appareil sur ordre du serveur.</source>
        <translation>{n} file(s) removed from this device on the server&apos;s order.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="161"/>
        <source>Aucun dossier retiré de cet appareil.</source>
        <translation>No file removed from this device.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="169"/>
        <source>Vous consultez ces dossiers en lecture seule (responsable d&apos;équipe) : vos modifications ne peuvent pas être envoyées.</source>
        <translation>You are viewing these files read-only (team supervisor): your changes cannot be sent.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="174"/>
        <source>Cette personne ne fait pas partie de votre portefeuille.</source>
        <translation>This person is not in your caseload.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="178"/>
        <source>Ces données sont gérées par le serveur départemental.</source>
        <translation>These data are managed by the departmental server.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="182"/>
        <source>L&apos;élément modifié n&apos;existe pas sur le serveur.</source>
        <translation>The item changed does not exist on the server.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="186"/>
        <source>Création incomplète : des champs obligatoires manquent.</source>
        <translation>Incomplete creation: required fields are missing.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="190"/>
        <source>Modification refusée par les règles de cohérence.</source>
        <translation>Change refused by the consistency rules.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="194"/>
        <source>Cet élément ne se modifie pas une fois écrit.</source>
        <translation>This item cannot be changed once written.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="198"/>
        <source>Ce dossier a été supprimé du serveur (durée de conservation dépassée ou effacement).</source>
        <translation>This file was deleted from the server (retention period over, or erasure).</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="202"/>
        <source>L&apos;auteur, l&apos;acteur ou l&apos;appareil indiqué n&apos;est pas celui qui envoie : le serveur les fixe lui-même.</source>
        <translation>The author, actor or device given is not the one sending: the server sets them itself.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="207"/>
        <source>Le changement de référent se fait par une passation validée par le serveur.</source>
        <translation>A change of referent is made by a handover the server approves.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="211"/>
        <source>L&apos;équipe d&apos;une personne est fixée par le serveur (création, passation, import) : elle ne se change pas depuis un appareil.</source>
        <translation>A person&apos;s team is set by the server (creation, handover, import): it cannot be changed from a device.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="216"/>
        <source>La décision sur une demande d&apos;effacement est prise par l&apos;administration départementale sur le serveur, pas depuis un appareil.</source>
        <translation>The decision on an erasure request is taken by the department&apos;s administration on the server, not from a device.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="221"/>
        <source>Cette personne a été confiée à un autre référent : les modifications faites après la passation ne sont plus acceptées.</source>
        <translation>This person was handed over to another referent: changes made after the handover are no longer accepted.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="226"/>
        <source>Cet élément fait référence au dossier d&apos;une autre personne.</source>
        <translation>This item refers to another person&apos;s file.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="230"/>
        <source>Les réglages du département se décident sur le serveur départemental (spie-server admin settings), pas depuis un appareil.</source>
        <translation>The department&apos;s settings are decided on the departmental server (spie-server admin settings), not from a device.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="235"/>
        <source>Passation impossible vers ce compte : un référent actif de l&apos;équipe est attendu (un responsable ou un administrateur peut confier à une autre équipe).</source>
        <translation>Handover impossible to this account: an active referent of the team is expected (a supervisor or an administrator can hand over to another team).</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="241"/>
        <source>Cette personne est déjà suivie par ce référent.</source>
        <translation>This person is already followed by this referent.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="245"/>
        <source>Cette personne a été confiée à un autre référent entre-temps : la passation demandée n&apos;a pas été faite.</source>
        <translation>This person was handed over to another referent in the meantime: the requested handover was not made.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="250"/>
        <source>Cet identifiant de demande a déjà servi pour une autre passation.</source>
        <translation>This request identifier was already used for another handover.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="271"/>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="273"/>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="275"/>
        <source>{n} jours</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="277"/>
        <source>L&apos;horloge de cet ordinateur avance de {duration} sur celle du serveur : corrigez la date et l&apos;heure du système.</source>
        <translation>This computer&apos;s clock is {duration} ahead of the server&apos;s: correct the system&apos;s date and time.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="283"/>
        <source>L&apos;horloge de cet ordinateur retarde de {duration} sur celle du serveur : corrigez la date et l&apos;heure du système.</source>
        <translation>This computer&apos;s clock is {duration} behind the server&apos;s: correct the system&apos;s date and time.</translation>
    </message>
    <message>
        <location filename="../../ui/texts/sync.py" line="290"/>
        <source>Vos modifications ont été redatées de cet écart (au plus tard à l&apos;heure du serveur).</source>
        <translation>Your changes were dated again by this gap (at the latest to the server&apos;s time).</translation>
    </message>
</context>
<context>
    <name>team</name>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="87"/>
        <source>Personnes suivies</source>
        <translation>Persons followed</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="88"/>
        <source>Sans contact depuis plus de {n} j</source>
        <translation>No contact for more than {n} d</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="89"/>
        <source>RDV manqués à replanifier</source>
        <translation>Missed appointments to reschedule</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="90"/>
        <source>Comptes rendus à saisir</source>
        <translation>Reports to write</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="91"/>
        <source>Actions échues</source>
        <translation>Overdue actions</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="92"/>
        <source>Échéances du parcours dépassées</source>
        <translation>Path deadlines missed</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="93"/>
        <source>Contrats arrivant à échéance</source>
        <translation>Contracts ending</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="94"/>
        <source>Absences aux RDV (3 mois)</source>
        <translation>No-shows (3 months)</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="95"/>
        <source>Absences aux RDV (12 mois)</source>
        <translation>No-shows (12 months)</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="102"/>
        <source>Personnes
suivies</source>
        <translation>Persons
followed</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="103"/>
        <source>Sans contact
&gt; {n} j</source>
        <translation>No contact
&gt; {n} d</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="104"/>
        <source>Manqués à
replanifier</source>
        <translation>Missed, to
reschedule</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="105"/>
        <source>CR
à saisir</source>
        <translation>Reports
to write</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="106"/>
        <source>Actions
échues</source>
        <translation>Overdue
actions</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="107"/>
        <source>Échéances
dépassées</source>
        <translation>Deadlines
missed</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="108"/>
        <source>Contrats
finissant</source>
        <translation>Contracts
ending</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="109"/>
        <source>Absences
3 mois</source>
        <translation>No-shows
3 months</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="110"/>
        <source>Absences
12 mois</source>
        <translation>No-shows
12 months</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="116"/>
        <source>Toute l&apos;équipe</source>
        <translation>Whole team</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="118"/>
        <location filename="../../ui/views/team_dashboard.py" line="724"/>
        <source>Sans référent</source>
        <translation>No referent</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="125"/>
        <source>— (aucun RDV)</source>
        <translation>— (no appointment)</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="187"/>
        <location filename="../../ui/views/team_dashboard.py" line="191"/>
        <location filename="../../ui/views/team_dashboard.py" line="670"/>
        <source>Référent</source>
        <translation>Referent</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="234"/>
        <source>Entrée ou double-clic : la liste de ces {n} ligne(s)</source>
        <translation>Enter or double-click: the list of these {n} row(s)</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="293"/>
        <source>Tableau de bord de l&apos;équipe</source>
        <extracomment>a person figure&apos;s list: (filter, caption) for the caseload screen an appointments list: (filter, caption) « Journal d&apos;audit… »: the team&apos;s audit log (issue 15)</extracomment>
        <translation>Team dashboard</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="297"/>
        <source>Sans contact depuis plus de</source>
        <translation>No contact for more than</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="299"/>
        <source>Jours sans contact</source>
        <translation>Days without contact</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="302"/>
        <source> jours</source>
        <translation> days</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="307"/>
        <source>Exporter…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="308"/>
        <source>Fichiers CSV (;) pour un tableur : personnes, rendez-vous, actions, chiffres</source>
        <translation>CSV files (;) for a spreadsheet: persons, appointments, actions, figures</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="315"/>
        <source>Journal d&apos;audit…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="316"/>
        <source>Qui a ouvert, modifié, exporté ou consulté quel dossier (Ctrl+Maj+A)</source>
        <translation>Who opened, changed, exported or revealed which file (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="331"/>
        <source>Personnes (une ligne par personne)…</source>
        <translation>Persons (one row per person)…</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="332"/>
        <source>Rendez-vous (une ligne par rendez-vous)…</source>
        <translation>Appointments (one row per appointment)…</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="333"/>
        <source>Actions (une ligne par action)…</source>
        <translation>Actions (one row per action)…</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="334"/>
        <source>Chiffres du tableau de bord…</source>
        <translation>Dashboard figures…</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="343"/>
        <source>Chiffres par référent</source>
        <translation>Figures per referent</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="344"/>
        <source>Entrée ou double-clic sur un chiffre ouvre la liste qu&apos;il compte.</source>
        <translation>Enter or double-click on a figure opens the list it counts.</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="371"/>
        <source>Graphique : portefeuille par référent</source>
        <translation>Chart: caseload per referent</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="374"/>
        <source>Graphique : rendez-vous sur 12 mois</source>
        <translation>Chart: appointments over 12 months</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="460"/>
        <source>{n} référent(s) · {p} personne(s) suivie(s) · au {date}</source>
        <translation>{n} referent(s) · {p} person(s) followed · on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="526"/>
        <source>Par référent : suivis et sans contact</source>
        <translation>Per referent: followed and without contact</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="528"/>
        <source>Suivis</source>
        <translation>Followed</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="482"/>
        <location filename="../../ui/views/team_dashboard.py" line="530"/>
        <source>Sans contact &gt; {n} j</source>
        <translation>No contact &gt; {n} d</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="130"/>
        <source>Rendez-vous honorés et absences, 12 mois (jusqu&apos;à {m})</source>
        <translation>Appointments attended and no-shows, 12 months (to {m})</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="565"/>
        <source>Honorés</source>
        <translation>Attended</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="566"/>
        <source>Absences</source>
        <translation>No-shows</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="605"/>
        <source>Exporter en CSV</source>
        <translation>Export as CSV</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="623"/>
        <source>{figure} — {who} : {n} ligne(s)</source>
        <translation>{figure} — {who}: {n} row(s)</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="640"/>
        <source>Absences de {month} — toute l&apos;équipe : {n} ligne(s)</source>
        <translation>No-shows of {month} — whole team: {n} row(s)</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="645"/>
        <source>Absences de {month} — {who} : {n} ligne(s)</source>
        <translation>No-shows of {month} — {who}: {n} line(s)</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="668"/>
        <source>Date</source>
        <extracomment>asks for the page at an offset (set by the dialog: a read on a reader thread)</extracomment>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="669"/>
        <source>Personne</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="671"/>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="672"/>
        <source>Objet</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="739"/>
        <source>Rendez-vous</source>
        <translation>Appointments</translation>
    </message>
    <message>
        <location filename="../../ui/views/team_dashboard.py" line="760"/>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>unlock</name>
    <message>
        <location filename="../../ui/views/unlock.py" line="30"/>
        <source>Verrouillée après {n} minute(s) sans activité. Ce que vous étiez en train de saisir est conservé.</source>
        <translation>Locked after {n} minute(s) without activity. What you were typing is kept.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="35"/>
        <source>Verrouillée avec la session de l&apos;ordinateur. Ce que vous étiez en train de saisir est conservé.</source>
        <translation>Locked with the computer&apos;s session. What you were typing is kept.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="40"/>
        <source>Verrouillée avant la mise en veille. Ce que vous étiez en train de saisir est conservé.</source>
        <translation>Locked before sleep. What you were typing is kept.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="45"/>
        <source>Verrouillée pendant la mise en veille. Ce que vous étiez en train de saisir est conservé.</source>
        <translation>Locked during sleep. What you were typing is kept.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="50"/>
        <source>Application verrouillée. Vos brouillons sont conservés.</source>
        <translation>Application locked. Your drafts are kept.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="74"/>
        <source>Déverrouiller l&apos;application</source>
        <translation>Unlock the application</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="80"/>
        <location filename="../../ui/views/unlock.py" line="83"/>
        <source>Phrase de passe</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="84"/>
        <source>Saisissez votre phrase de passe puis appuyez sur Entrée.</source>
        <translation>Type your passphrase then press Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="92"/>
        <location filename="../../ui/views/unlock.py" line="93"/>
        <source>Afficher la phrase de passe</source>
        <translation>Show the passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="103"/>
        <source>Déverrouiller</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="115"/>
        <source>Phrase de passe oubliée ? Elle ne peut pas être récupérée. Vos données synchronisées sont sur le serveur du département : votre administrateur peut réinitialiser cet appareil.</source>
        <translation>Forgot your passphrase? It cannot be recovered. Your synced data is on the department&apos;s server: your administrator can reset this device.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="138"/>
        <source>Bonjour {name}. Saisissez votre phrase de passe.</source>
        <translation>Hello {name}. Type your passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="142"/>
        <source>Saisissez la phrase de passe de cet ordinateur.</source>
        <translation>Type this computer&apos;s passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="157"/>
        <source>Déverrouillage en cours…</source>
        <translation>Unlocking…</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="165"/>
        <source>Saisissez votre phrase de passe.</source>
        <translation>Type your passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="189"/>
        <source>Phrase de passe incorrecte.</source>
        <translation>Wrong passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="195"/>
        <source>Le trousseau de votre session est verrouillé : l&apos;application ne peut pas lire le secret de cet ordinateur. Déverrouillez le trousseau (ou rouvrez votre session), puis réessayez. Votre phrase de passe n&apos;est pas en cause.</source>
        <translation>Your session&apos;s keyring is locked: the application cannot read this computer&apos;s secret. Unlock the keyring (or open your session again), then retry. Your passphrase is not the problem.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="202"/>
        <source>Le secret de cet ordinateur ne correspond pas à la base locale (copiée depuis un autre poste, ou trousseau réinitialisé). Votre phrase de passe n&apos;est pas en cause : contactez votre administrateur pour réinitialiser cet appareil ; vos données seront récupérées depuis le serveur.</source>
        <translation>This computer&apos;s secret does not match the local database (copied from another computer, or keyring reset). Your passphrase is not the problem: contact your administrator to reset this device; your data will be recovered from the server.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="219"/>
        <source>Trop de tentatives.</source>
        <translation>Too many attempts.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="228"/>
        <source>{prefix} Patientez {n} s avant de réessayer : ce délai s&apos;allonge à chaque erreur.</source>
        <translation>{prefix} Wait {n} s before trying again: this delay grows with each error.</translation>
    </message>
    <message>
        <location filename="../../ui/views/unlock.py" line="240"/>
        <source>Vous pouvez réessayer.</source>
        <translation>You can try again.</translation>
    </message>
</context>
<context>
    <name>workers</name>
    <message>
        <location filename="../../ui/workers.py" line="56"/>
        <source>Une erreur inattendue est survenue. Vos données enregistrées ne sont pas perdues ; réessayez, et si le problème persiste, signalez-le à votre administrateur.</source>
        <translation>An unexpected error occurred. Your saved data is not lost; try again, and if the problem persists, report it to your administrator.</translation>
    </message>
</context>
</TS>
