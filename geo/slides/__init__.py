"""Images and the meeting deck: PNG maps of a département, a région or an area (`png`, `region_png`,
`area_png`), and the PPTX deck with its PDF (`deck`)."""
