-- applied twice this would fail: the column exists
ALTER TABLE people ADD COLUMN email TEXT;
