"""The read side: territories (`territory`), labelled entities and sites (`labels`), coverage, the timeline,
filtered lists, attribute columns and provenance. Maps, slides and pages read these modules; none of them
writes to the store."""
