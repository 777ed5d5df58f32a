"""Writing records: the canonical form (`fmt`), new records (`new`), the Statement of
Applicability kept complete (`soa sync`) and the sign-offs (`risk accept`,
`assessment approve`). Every write goes through :mod:`aimsctl.writing`."""
