"""Domain logic. Nothing here imports request, g or session, so unit tests reach it without HTTP."""
